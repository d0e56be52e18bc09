"""A professional's journey in a real browser: footer link -> subscribe (with a mistake)
-> confirm -> change the choice -> unsubscribe; axe-core on every page and on the
e-mails; the same without JavaScript; the editor's decision page."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from subscriptions import services
from subscriptions.models import Decision, Subscription
from tests.conftest import assert_accessible
from tests.subscriptions.conftest import mailing_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def path_in(message, marker) -> str:
    body = message.body
    found = re.search(r"https?://[^/\s]+(/\S+)", body[body.index(marker) :])
    assert found, body
    return found.group(1)


def test_subscribe_confirm_change_and_unsubscribe(page, groups, publish):
    publish(groups=[groups[0]], themes=["polarisatie"])

    page.goto("/")
    page.get_by_role("contentinfo").get_by_role("link", name="Houd mij op de hoogte").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Houd mij op de hoogte"
    assert_accessible(page)

    page.get_by_role("button", name="Aanmelden", exact=True).click()  # nothing filled in
    expect(page.get_by_text("Kies ten minste één doelgroep of thema.").first).to_be_visible()
    expect(page).to_have_title(re.compile("^Fout:"))
    assert_accessible(page)

    page.get_by_label("E-mailadres").fill("wijkteam@example.nl")
    page.get_by_label(groups[0].name).check()
    page.get_by_label("Eens per maand: een overzicht van wat nieuw is").check()
    page.get_by_role("button", name="Aanmelden", exact=True).click()
    expect(page.get_by_role("heading", name="Kijk in uw e-mail")).to_be_visible()
    assert_accessible(page)

    (confirmation,) = mail.outbox
    page.goto(path_in(confirmation, "Mijn aanmelding bevestigen"))
    assert_accessible(page)
    page.get_by_role("button", name="Mijn aanmelding bevestigen").click()
    expect(page.get_by_role("heading", name="Uw aanmelding is bevestigd")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Mijn keuze wijzigen").click()
    expect(page.get_by_label(groups[0].name)).to_be_checked()
    assert_accessible(page)
    page.get_by_label("Polarisatie").check()
    page.get_by_role("button", name="Mijn keuze opslaan").click()
    expect(page.get_by_text("Uw keuze is opgeslagen.")).to_be_visible()
    assert_accessible(page)
    sub = Subscription.objects.get()
    assert sorted(link.tag.slug for link in sub.theme_links.all()) == ["polarisatie"]

    page.get_by_role("link", name="Afmelden voor alle e-mails").click()
    assert_accessible(page)
    page.get_by_role("button", name="Afmelden").click()
    expect(page.get_by_role("heading", name="U bent afgemeld")).to_be_visible()
    assert_accessible(page)
    assert not Subscription.objects.exists()

    page.go_back()
    page.reload()  # the personal link, once more: it no longer works
    expect(page.get_by_role("heading", name="Deze link werkt niet meer")).to_be_visible()
    assert_accessible(page)


def test_the_core_journey_works_without_javascript(
    _playwright_browser, live_server, groups, publish
):
    publish(groups=[groups[0]])
    context = _playwright_browser.new_context(
        base_url=live_server.url, locale="nl-NL", java_script_enabled=False
    )
    tab = context.new_page()
    tab.goto("/op-de-hoogte/")
    tab.get_by_label("E-mailadres").fill("zonder-js@example.nl")
    tab.get_by_label(groups[0].name).check()
    tab.get_by_role("button", name="Aanmelden", exact=True).click()
    expect(tab.get_by_role("heading", name="Kijk in uw e-mail")).to_be_visible()
    tab.goto(path_in(mail.outbox[-1], "Mijn aanmelding bevestigen"))
    tab.get_by_role("button", name="Mijn aanmelding bevestigen").click()
    expect(tab.get_by_role("heading", name="Uw aanmelding is bevestigd")).to_be_visible()
    assert Subscription.objects.get().confirmed_at is not None
    tab.goto(path_in(mail.outbox[-1], "Afmelden"))
    tab.get_by_role("button", name="Afmelden").click()
    expect(tab.get_by_role("heading", name="U bent afgemeld")).to_be_visible()
    assert not Subscription.objects.exists()
    context.close()


def test_the_emails_are_accessible_html(page, groups, publish, subscriber, editor):
    subscriber("direct@example.nl", groups=[groups[0]])
    mailing = mailing_for(publish("Online haat & polarisatie", groups=[groups[0]]))
    services.decide(
        mailing_id=mailing.pk, decision=Decision.NOTIFY, user=editor, now=timezone.now()
    )
    with_html = [m for m in mail.outbox if m.alternatives]
    assert with_html
    for message in with_html:
        page.set_content(message.alternatives[0][0])
        assert page.evaluate("document.documentElement.lang") == "nl"
        assert_accessible(page)


def test_the_editors_decision_page(page, groups, publish, subscriber, editor, live_server):
    subscriber("direct@example.nl", groups=[groups[0]])
    mailing = mailing_for(publish(groups=[groups[0]]))
    editor.set_password("wachtwoord-voor-de-test")
    editor.save()
    page.goto("/admin/login/")
    page.fill("#id_username", "redacteur")
    page.fill("#id_password", "wachtwoord-voor-de-test")
    page.keyboard.press("Enter")
    page.wait_for_url("**/admin/")
    page.goto(reverse("subscriptions_admin:decide", args=[mailing.pk]))
    expect(page.get_by_role("button", name="Nu versturen naar 1 abonnee")).to_be_visible()
    assert_accessible(page, context_selector="main")
    page.get_by_role("button", name="Nu versturen naar 1 abonnee").click()
    page.wait_for_url("**/admin/op-de-hoogte/")
    expect(page.get_by_text("De e-mails zijn onderweg.")).to_be_visible()
    assert_accessible(page, context_selector="main")
