import html5lib
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from website import demo
from website.models import HomePage, StandardPage

pytestmark = pytest.mark.django_db


def assert_valid_html5(content: bytes):
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    parser.parse(content)


def test_home_page_is_dutch_with_landmarks_and_navigation(client, site_home):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="nl"' in html
    assert 'href="#main">Ga naar de inhoud</a>' in html
    for landmark in ("<header", "<nav", '<main id="main"', "<footer"):
        assert landmark in html
    assert html.count("<h1") == 1
    for label in ("Trainingen", "Webinars", "Podcasts", "Producten per doelgroep", "Zoeken"):
        assert f">{label}</a>" in html
    assert 'href="/privacy/"' in html
    assert 'href="/toegankelijkheid/"' in html
    assert "cter@samenveilig-nh.example.nl" in html
    assert_valid_html5(response.content)


def test_statements_and_standard_pages_render(client, site_home):
    for path, title in [
        ("/privacy/", "Privacyverklaring"),
        ("/toegankelijkheid/", "Toegankelijkheidsverklaring"),
        ("/over-cter/", "Over CTER"),
    ]:
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        assert f'<h1 class="utrecht-heading-1">{title}</h1>' in html
        assert 'aria-current="page"' in html  # breadcrumb marks the current page
        assert_valid_html5(response.content)


def test_no_external_resources_and_privacy_headers(client, site_home):
    response = client.get("/")
    html = response.content.decode()
    assert "http://" not in html.replace("http://testserver", "")
    assert "https://" not in html
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "Set-Cookie" not in response.headers


def test_search_finds_pages_and_dutch_compounds(client, site_home):
    response = client.get("/zoeken/", {"q": "cookies"})
    assert response.status_code == 200
    assert "Privacyverklaring" in response.content.decode()
    # "privacy" only occurs inside the compound "Privacyverklaring".
    response = client.get("/zoeken/", {"q": "privacy"})
    assert "Privacyverklaring" in response.content.decode()
    assert_valid_html5(response.content)


def test_search_without_results_and_odd_input_never_fails(client, site_home):
    for query in ["", "zzzqqq", "<script>alert(1)</script>", "a" * 5000, "' OR 1=1 --", "\x00"]:
        response = client.get("/zoeken/", {"q": query, "pagina": "x"})
        assert response.status_code == 200
        assert "<script>alert(1)</script>" not in response.content.decode()
    assert "Er is niets gevonden" in client.get("/zoeken/", {"q": "zzzqqq"}).content.decode()


def test_unknown_page_is_a_dutch_404(client, site_home):
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.content.decode()


def test_seed_demo_is_idempotent(site_home):
    demo.seed()
    assert HomePage.objects.count() == 1
    assert StandardPage.objects.filter(slug="privacy").count() == 1


def test_page_query_count_is_small_and_fixed(client, site_home):
    client.get("/over-cter/")  # warm caches (site root paths)
    with CaptureQueriesContext(connection) as first:
        client.get("/over-cter/")
    with CaptureQueriesContext(connection) as home:
        client.get("/")
    assert len(first) <= 10, [q["sql"] for q in first.captured_queries]
    assert len(home) <= 10, [q["sql"] for q in home.captured_queries]


def test_admin_login_speaks_dutch(client, site_home):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert "Inloggen" in response.content.decode()


def test_the_privacy_statement_says_per_kind_of_data_why_who_and_how_long(client, site_home):
    html = client.get("/privacy/").content.decode()
    for kind in (
        "Aanmelding voor een training of webinar",
        "Evaluatie na de training",
        "Mijn trainingen",
        "Aanvraag voor een in-companytraining of pressure cooker",
        "E-mails die we sturen",
        "Accounts van medewerkers en partners",
        "Logboek",
    ):
        assert kind in html, kind
    for label in ("Gegevens:", "Waarvoor:", "Wie ziet ze:", "Hoe lang:"):
        assert html.count(label) == 7, label
    assert "De trainer van uw sessie ziet uw naam en organisatie, niet uw e-mailadres" in html
