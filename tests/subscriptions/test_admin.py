"""Editors: publishing sends nothing; a preview with the number of recipients; the
decision; who may decide; the figures on the mailings screen and the communication plan."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission, User
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import GroupPagePermission
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from outreach import demo as outreach_demo
from outreach.models import CommunicationPlanPage, InfoSheetPage
from subscriptions import selectors, services
from subscriptions.models import Decision, Mailing, MailingStatus
from tests.subscriptions.conftest import NOW, mailing_for
from website.hooks import ReachMetric, reach_totals

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client, editor, products):
    """The editor may also add and publish products (page permissions, as in Wagtail)."""
    group = editor.groups.get()
    for codename in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.create(
            group=group,
            page=products,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )
    client.force_login(editor)
    return client


def _publish_in_admin(client, parent, groups, title="Nieuw informatieblad"):
    data = nested_form_data(
        {
            "title": title,
            "slug": "nieuw-informatieblad",
            "summary": "Wat u moet weten over online radicalisering.",
            "purpose": "",
            "publication_date": "2026-01-05",
            "tags": "polarisatie",
            "body": streamfield([("paragraph", rich_text("<p>Tekst</p>"))]),
            "comments": inline_formset([]),
            "action-publish": "publish",
        }
    )
    data["target_groups"] = [g.pk for g in groups]
    url = reverse("wagtailadmin_pages:add", args=["outreach", "infosheetpage", parent.pk])
    return client.post(url, data)


def test_publishing_in_the_admin_sends_nothing_and_asks_with_a_preview_and_the_count(
    editor_client, products, groups, subscriber, django_capture_on_commit_callbacks
):
    for n in range(3):
        subscriber(f"direct{n}@example.nl", groups=[groups[0]])
    subscriber("maand@example.nl", themes=["polarisatie"], frequency="monthly")
    subscriber("ander@example.nl", groups=[groups[1]])

    response = _publish_in_admin(editor_client, products, [groups[0]])
    page = InfoSheetPage.objects.get(slug="nieuw-informatieblad")
    mailing = mailing_for(page)
    assert response.status_code == 302
    assert response["Location"] == reverse("subscriptions_admin:decide", args=[mailing.pk])
    assert mail.outbox == []  # publishing sent nothing

    html = editor_client.get(response["Location"]).content.decode()
    assert "Nieuw informatieblad" in html and "is gepubliceerd. Wilt u abonnees" in html
    assert "Nu versturen naar 3 abonnees" in html
    assert "1 abonnee met een maandoverzicht vindt het in het volgende." in html
    assert "Nieuw: Nieuw informatieblad" in html  # the subject
    assert "Wat u moet weten over online radicalisering." in html  # the preview
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        done = editor_client.post(response["Location"], {"decision": Decision.NOTIFY})
    assert done["Location"] == reverse("subscriptions_admin:index")
    assert sorted(m.to[0] for m in mail.outbox) == [f"direct{n}@example.nl" for n in range(3)]
    mailing.refresh_from_db()
    assert mailing.decided_by.username == "redacteur"

    # Publishing again later: no new question, no new e-mail.
    mail.outbox.clear()
    page.save_revision().publish()
    assert Mailing.objects.filter(page_id=page.pk).count() == 1 and mail.outbox == []
    again = editor_client.post(
        reverse("subscriptions_admin:decide", args=[mailing.pk]), {"decision": Decision.NOTIFY}
    )
    assert again.status_code == 400
    assert "Iemand heeft al over deze mailing besloten." in again.content.decode()


def test_the_editor_can_choose_not_to_notify(
    editor_client, products, groups, subscriber, django_capture_on_commit_callbacks
):
    subscriber("a@example.nl", groups=[groups[0]])
    response = _publish_in_admin(editor_client, products, [groups[0]])
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(response["Location"], {"decision": Decision.SKIP})
    assert mail.outbox == []
    mailing = Mailing.objects.get()
    assert (mailing.decision, mailing.status) == (Decision.SKIP, MailingStatus.DONE)
    index = editor_client.get(reverse("subscriptions_admin:index")).content.decode()
    assert "Niet aangekondigd" in index


def test_an_undecided_mailing_is_offered_in_the_page_action_menu(
    editor_client, products, groups, publish
):
    page = publish(groups=[groups[0]])
    mailing = mailing_for(page)
    edit = editor_client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    assert "Abonnees informeren…" in edit
    assert reverse("subscriptions_admin:decide", args=[mailing.pk]) in edit
    services.decide(mailing_id=mailing.pk, decision=Decision.SKIP, user=None, now=NOW)
    edit = editor_client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    assert "Abonnees informeren…" not in edit


def test_without_the_permission_no_question_no_screens(client, products, groups, publish):
    """A real non-superuser with admin access and page rights but not the group
    Communicatie's subscriptions permission."""
    user = User.objects.create_user("ander", password="x")
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin", content_type__app_label="wagtailadmin")
    )
    client.force_login(user)
    mailing = mailing_for(publish(groups=[groups[0]]))
    decide_url = reverse("subscriptions_admin:decide", args=[mailing.pk])
    for response in (
        client.get(reverse("subscriptions_admin:index")),
        client.get(decide_url),
        client.post(decide_url, {"decision": "notify"}),
    ):  # Wagtail answers a refused admin view with its "no permission" redirect
        assert response.status_code == 302 and response["Location"] == "/admin/"
    assert "Keep me informed" not in client.get("/admin/").content.decode()
    assert "Houd mij op de hoogte" not in client.get("/admin/").content.decode()
    assert Mailing.objects.get().status == MailingStatus.AWAITING


def test_a_forged_decision_is_refused_in_dutch(editor_client, groups, publish):
    mailing = mailing_for(publish(groups=[groups[0]]))
    response = editor_client.post(
        reverse("subscriptions_admin:decide", args=[mailing.pk]), {"decision": "x" * 5000}
    )
    assert response.status_code == 400
    assert "Kies wat er moet gebeuren." in response.content.decode()
    assert (
        editor_client.get(reverse("subscriptions_admin:decide", args=[999999])).status_code == 404
    )
    assert editor_client.get("/admin/op-de-hoogte/" + "9" * 30 + "/").status_code == 404


def _queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_editors_screens_take_the_same_queries_for_more_subscribers_and_mailings(
    editor_client, groups, publish, subscriber, django_capture_on_commit_callbacks
):
    counts = []
    for size in (2, 8):
        for n in range(size):
            subscriber(f"s{size}-{n}@example.nl", groups=groups[:2], themes=["polarisatie"])
            page = publish(f"Item {size}-{n}", groups=[groups[n % 3]], themes=["polarisatie"])
            with django_capture_on_commit_callbacks(execute=True):
                services.decide(
                    mailing_id=mailing_for(page).pk, decision=Decision.NOTIFY, user=None, now=NOW
                )
        mailing = mailing_for(publish(f"Wacht {size}", groups=[groups[0]]))
        counts.append(
            (
                _queries(editor_client, reverse("subscriptions_admin:index")),
                _queries(editor_client, reverse("subscriptions_admin:decide", args=[mailing.pk])),
            )
        )
    assert counts[0] == counts[1], counts


def test_reach_of_a_mailing_on_the_communication_plan_and_in_the_reach_hook(
    client, site_home, groups, subscriber, django_capture_on_commit_callbacks
):
    outreach_demo.seed()
    sheet = InfoSheetPage.objects.get(slug="informatieblad-gemeenten")
    subscriber("a@example.nl", groups=list(sheet.target_groups.all()))
    subscriber("b@example.nl", groups=list(sheet.target_groups.all()))
    mailing = Mailing.objects.filter(page_id=sheet.pk).first()
    if mailing is None:  # the demo published it before subscriptions decided anything
        mailing = services.propose_mailing(page_id=sheet.pk, now=timezone.now())
    Mailing.objects.filter(pk=mailing.pk).update(status=MailingStatus.AWAITING, decision="")
    with django_capture_on_commit_callbacks(execute=True):
        services.decide(
            mailing_id=mailing.pk, decision=Decision.NOTIFY, user=None, now=timezone.now()
        )
    item = mailing.items.get()
    ua = "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0"
    services.count_click(item=item, ip="192.0.2.7", user_agent=ua, now=timezone.now())

    totals = reach_totals(page_ids=[sheet.pk])[sheet.pk]
    assert totals[ReachMetric.MAILED] == 2 and totals[ReachMetric.MAIL_CLICKS] == 1
    client.force_login(User.objects.create_user("stuurgroep", password="x"))
    plan = CommunicationPlanPage.objects.get()
    html = client.get(plan.url).content.decode()
    row = html[html.index('href="/producten/informatieblad-gemeenten/"') :]
    row = row[: row.index("</tr>")]
    assert "2 e-mails aan abonnees" in row and "1 klik uit e-mails" in row

    by_month = selectors.reach_figures(page_ids=[sheet.pk], since=None, until=None, by_month=True)
    assert {(f.metric, f.value) for f in by_month} == {("mailed", 2), ("mail_clicks", 1)}
    later = timezone.localdate() + dt.timedelta(days=40)
    assert (
        selectors.reach_figures(page_ids=[sheet.pk], since=later, until=None, by_month=False) == []
    )
