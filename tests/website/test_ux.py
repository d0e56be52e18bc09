import pytest

pytestmark = pytest.mark.django_db


def test_favicon_ico_redirects_to_the_svg_icon(client, site_home):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith(".svg")
    assert "max-age=86400" in response["Cache-Control"]
    html = client.get("/").content.decode()
    assert 'rel="icon"' in html


def test_breadcrumb_current_page_is_text_not_a_link(client, site_home):
    html = client.get("/over-cter/").content.decode()
    assert (
        '<span class="utrecht-breadcrumb-nav__link utrecht-breadcrumb-nav__link--current" aria-current="page">'
        in html
    )
