"""Issue 18 item 4 in a real browser, as communications staff see the admin: a member of
the group Communicatie (no superuser), the admin in Dutch. Every page type's editor, the
"add child page" chooser and the document choosers show no English, every page type
describes itself, and the episode's audio and transcript choosers offer only their files."""

import io
import re

import pytest
from wagtail.models import Page, get_page_models

from outreach.models import InfoSheetPage
from podcasts.models import PodcastShowPage
from website.hooks import seed_demo_content
from website.roles import run_role_migrations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Een-lang-en-sterk-wachtwoord-1"

# Words and phrases that only show up when a Wagtail or project string went untranslated
# (each as a whole word, case-sensitive: "Status", "Live" and "Help" are Dutch as well;
# not "History", a category name in Apple's own English list on the show editor).
ENGLISH = (
    "File",
    "Choose",
    "Choose another",
    "Title",
    "Save",
    "Save draft",
    "Publish",
    "Unpublish",
    "Moderators approval",
    "Actions",
    "More actions",
    "Edit",
    "Delete",
    "Add",
    "Search",
    "Upload",
    "Created",
    "Collection",
    "Preview",
    "Draft",
    "Settings",
    "Comments",
    "Privacy",
    "Cancel",
    "Close",
    "Select",
    "Page",
    "Pages",
    "Documents",
    "Images",
    "Sort",
    "Filter",
    "Clear choice",
    "Toggle",
    "Expand",
    "Collapse",
    "Create",
    "Revisions",
    "Submit",
)
ENGLISH_RE = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, ENGLISH)) + r")(?![\w-])")

# What a person sees or hears: the visible text, and the names and hints of visible
# elements (a screen reader reads aria-label and title; placeholders show in fields).
SEEN = """(root) => {
    const scope = root ? document.querySelector(root) : document.body;
    const seen = scope.innerText.split('\\n').map((t) => t.trim()).filter(Boolean);
    for (const el of scope.querySelectorAll('[aria-label],[title],[placeholder]')) {
        if (!el.checkVisibility()) continue;
        for (const a of ['aria-label', 'title', 'placeholder']) {
            if (el.getAttribute(a)) seen.push(el.getAttribute(a));
        }
    }
    return seen;
}"""


def english_on(page, root=None) -> list[str]:
    return [line for line in page.evaluate(SEEN, root) if ENGLISH_RE.search(line)]


@pytest.fixture
def comms_page(page, reference_data, role_user):
    """The whole demo site, and the browser signed in as a communications officer."""
    seed_demo_content(scale=1, stdout=io.StringIO())
    run_role_migrations()  # page rights on the new root (a flush before removed the old one)
    role_user("Communicatie", "communicatie")
    page.goto("/admin/login/")
    page.fill("#id_username", "communicatie")
    page.fill("#id_password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/admin/")
    return page


def test_the_editor_speaks_dutch_to_communications_staff(comms_page):
    page = comms_page
    assert page.locator("html").get_attribute("lang") == "nl"
    assert english_on(page) == [], "dashboard"
    opened = []
    for model in get_page_models():
        if model is Page:
            continue
        instance = model.objects.order_by("path").first()
        assert instance is not None, f"the demo has no {model.__name__}"
        page.goto(f"/admin/pages/{instance.pk}/edit/")
        assert page.locator("#w-editor-heading, h1").first.is_visible()
        assert english_on(page) == [], f"editor of {model.__name__}"
        opened.append(model.__name__)
    assert len(opened) == len(get_page_models()) - 1

    # The "add child page" chooser: every type there has its own Dutch description.
    home = Page.objects.get(depth=2).specific
    page.goto(f"/admin/pages/{home.pk}/add_subpage/")
    assert english_on(page) == [], "add child page"
    for model in home.specific_class.allowed_subpage_models():
        if model.can_create_at(home):
            description = str(model.get_page_description())
            assert page.get_by_text(description, exact=False).first.is_visible(), model

    # Wagtail's document listing and its chooser in the info sheet editor.
    page.goto("/admin/documents/")
    assert page.get_by_role("columnheader", name="Bestand").is_visible()
    assert english_on(page) == [], "document listing"
    products = InfoSheetPage.objects.first().get_parent()
    page.goto(f"/admin/pages/add/outreach/infosheetpage/{products.pk}/")
    page.get_by_role("button", name="Kies een document").first.click()
    modal = page.locator(".modal-content")
    modal.get_by_role("columnheader", name="Bestand").wait_for()
    assert english_on(page, ".modal-content") == [], "document chooser"


def test_episode_choosers_offer_only_audio_and_transcripts(comms_page):
    page = comms_page
    show = PodcastShowPage.objects.first()
    page.goto(f"/admin/pages/add/podcasts/podcastepisodepage/{show.pk}/")
    assert page.locator("#id_episode_number").input_value() != ""  # the next number, suggested

    def offered(button):
        page.get_by_role("button", name=button).click()
        modal = page.locator(".modal-content")
        modal.get_by_role("columnheader", name="Bestand").wait_for()
        assert english_on(page, ".modal-content") == [], button
        files = modal.locator("td a[download]").all_inner_texts()
        modal.locator("button.close").click()
        modal.wait_for(state="detached")
        return files

    audio = offered("Kies een audiobestand")
    assert audio and all(name.endswith((".mp3", ".m4a")) for name in audio), audio
    transcripts = offered("Kies een transcript")
    assert transcripts and all(name.endswith((".vtt", ".srt")) for name in transcripts)
