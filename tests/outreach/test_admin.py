import pytest
from django.test import Client
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from outreach.models import AnimationPage, InfoSheetPage, ProductIndexPage
from website.models import TargetGroup

from .conftest import BROWSER_UA

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client, django_user_model):
    user = django_user_model.objects.create_superuser("redacteur", "r@example.nl", "x")
    client.force_login(user)
    return client


def _add_url(model, parent):
    return reverse(
        "wagtailadmin_pages:add",
        args=[model._meta.app_label, model._meta.model_name, parent.pk],
    )


def test_editor_publishes_an_info_sheet_for_two_groups(editor, outreach_site):
    overview = ProductIndexPage.objects.get()
    groups = list(TargetGroup.objects.all()[:2])
    data = nested_form_data(
        {
            "title": "Nieuw informatieblad",
            "slug": "nieuw-informatieblad",
            "summary": "Kort",
            "purpose": "",
            "publication_date": "2026-01-05",
            "tags": "signalen, nieuw thema",
            "body": streamfield([("paragraph", rich_text("<p>Tekst</p>"))]),
            "comments": inline_formset([]),
            "action-publish": "publish",
        }
    )
    data["target_groups"] = [g.pk for g in groups]
    response = editor.post(_add_url(InfoSheetPage, overview), data)
    errors = response.context["form"].errors if response.status_code == 200 else None
    assert response.status_code == 302, errors
    page = InfoSheetPage.objects.get(slug="nieuw-informatieblad")
    assert page.live
    assert set(page.target_groups.all()) == set(groups)
    assert {t.slug for t in page.tags.all()} == {"signalen", "nieuw-thema"}


def test_animation_without_captions_is_refused_with_a_dutch_message(editor, outreach_site):
    overview = ProductIndexPage.objects.get()
    video = AnimationPage.objects.get(slug="animatie-zorg-en-veiligheidshuis").video
    data = nested_form_data(
        {
            "title": "Animatie zonder ondertiteling",
            "slug": "animatie-zonder-ondertiteling",
            "summary": "Kort",
            "publication_date": "2026-01-05",
            "tags": "",
            "video": video.pk,
            "transcript": rich_text("<p>Tekst</p>"),
            "described_transcript": rich_text("<p>Beeld en tekst</p>"),
            "comments": inline_formset([]),
            "action-publish": "publish",
        }
    )
    data["target_groups"] = [TargetGroup.objects.first().pk]
    response = editor.post(_add_url(AnimationPage, overview), data)
    assert response.status_code == 200
    assert "ondertitelbestand (WebVTT)" in response.content.decode()
    assert not AnimationPage.objects.filter(slug="animatie-zonder-ondertiteling").exists()


def test_dashboard_shows_most_viewed_pages_and_downloads(editor, outreach_site):
    sheet = InfoSheetPage.objects.get(slug="informatieblad-gemeenten")
    for ip in ("10.0.0.1", "10.0.0.2"):
        editor.get(sheet.url, HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR=ip)
    Client().get(sheet.pdf.url, HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR="10.0.0.3")
    html = editor.get(reverse("wagtailadmin_home")).content.decode()
    assert "Bereik in de afgelopen 30 dagen" in html
    start = html.index(sheet.title)
    assert "<td>2</td>" in html[start : start + 300]
    start = html.index("Meest gedownloade documenten")
    assert sheet.pdf.title in html[start:] and "<td>1</td>" in html[start:]
