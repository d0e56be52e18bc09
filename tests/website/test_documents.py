"""Issue 11, item 12: uploaded documents are allow-listed, checked and never run in our origin."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission, User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.documents import get_document_model
from wagtail.models import Collection, GroupCollectionPermission

from outreach.models import InfoSheetPage
from website.documents import USES

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
JS = b"alert(document.cookie)\n"


@pytest.fixture
def editor(client, site_home):
    """An editor who may add and change documents (no superuser)."""
    group = Group.objects.create(name="Redactie (test)")
    group.permissions.add(
        Permission.objects.get(codename="access_admin", content_type__app_label="wagtailadmin")
    )
    for codename in ("add_document", "change_document", "choose_document"):
        GroupCollectionPermission.objects.create(
            group=group,
            collection=Collection.get_first_root_node(),
            permission=Permission.objects.get(
                codename=codename, content_type__app_label="wagtaildocs"
            ),
        )
    user = User.objects.create_user("redacteur", "r@example.nl", "x")
    user.groups.add(group)
    client.force_login(user)
    return client


def upload(client, name, content):
    return client.post(
        "/admin/documents/add/",
        {
            "title": name,
            "file": SimpleUploadedFile(name, content),
            "collection": Collection.get_first_root_node().pk,
        },
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("evil.js", JS),
        ("evil.html", b"<script>alert(1)</script>"),
        ("evil.svg", b"<svg onload='alert(1)'/>"),
        ("evil.exe", b"MZ\x90\x00"),
        ("noextension", PDF),
    ],
)
def test_documents_outside_the_allow_list_are_refused(editor, name, content):
    response = upload(editor, name, content)
    assert response.status_code == 200
    assert "niet toegestaan" in response.content.decode()
    assert not get_document_model().objects.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("notities.pdf", JS),
        ("aflevering.mp3", b"<html>niet echt audio</html>"),
        ("ondertitels.vtt", b"1\n00:00:01,000 --> 00:00:02,000\nGeen kop"),
        ("hoofdstukken.json", b"<script>"),
        ("verslag.docx", PDF),
        ("film.mp4", JS),
    ],
)
def test_a_renamed_file_is_refused_with_a_dutch_message(editor, name, content):
    response = upload(editor, name, content)
    assert response.status_code == 200
    assert "De inhoud van dit bestand past niet bij de extensie" in response.content.decode()
    assert not get_document_model().objects.exists()


def test_a_real_pdf_is_accepted_and_served_as_a_sandboxed_download(editor, client):
    assert upload(editor, "factsheet.pdf", PDF).status_code == 302
    document = get_document_model().objects.get()
    client.logout()
    response = client.get(document.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == PDF


def test_an_old_script_upload_is_never_served_as_script(client, site_home):
    document = get_document_model().objects.create(title="Oud", file=ContentFile(JS, name="oud.js"))
    response = client.get(document.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_each_document_field_accepts_only_its_own_type(site_home):

    docx = get_document_model().objects.create(
        title="Word", file=ContentFile(b"PK\x03\x04", name="blad.docx")
    )
    page = InfoSheetPage(title="Blad", slug="blad", summary="x", pdf=docx)
    with pytest.raises(ValidationError) as caught:
        page.clean()
    assert "pdf" in caught.value.message_dict
    pdf = get_document_model().objects.create(title="PDF", file=ContentFile(PDF, name="blad.pdf"))
    page.pdf = pdf
    page.clean()


def test_the_allow_list_covers_every_use_and_nothing_else():

    used = {ext for exts in USES.values() for ext in exts}
    assert used == set(settings.WAGTAILDOCS_EXTENSIONS)
    assert not {"js", "html", "htm", "svg", "xml", "xhtml", "css", "swf"} & used
