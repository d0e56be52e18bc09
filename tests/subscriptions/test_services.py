"""Subscriptions: double opt-in, preferences, unsubscribe, what is sent and when."""

import datetime as dt
import re

import pytest
from django.core import mail
from taggit.models import Tag

from subscriptions import services
from subscriptions.models import (
    ClickCount,
    Decision,
    Delivery,
    Frequency,
    Mailing,
    MailingStatus,
    Subscription,
)
from tests.subscriptions.conftest import NOW, mailing_for
from website import mail as outbox
from website.models import OutboxEmail

pytestmark = pytest.mark.django_db


def links_in(message) -> list[str]:
    return re.findall(r"https?://\S+", message.body)


# ----- double opt-in -------------------------------------------------------------------


def test_nothing_is_sent_before_the_address_is_confirmed(
    groups, publish, django_capture_on_commit_callbacks, editor
):
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            services.subscribe(
                email=" Wijkteam@Example.nl ",
                frequency=Frequency.DIRECT,
                target_group_ids=[groups[0].pk],
                theme_ids=[],
                now=NOW,
            )
            == "new"
        )
    (confirmation,) = mail.outbox
    assert confirmation.to == ["wijkteam@example.nl"]
    assert confirmation.subject == "Bevestig: houd mij op de hoogte"
    sub = Subscription.objects.get()
    assert sub.confirmed_at is None
    assert f"/op-de-hoogte/bevestigen/{sub.token}/" in confirmation.body
    assert confirmation.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    mail.outbox.clear()

    page = publish(groups=[groups[0]])
    with django_capture_on_commit_callbacks(execute=True):
        services.decide(
            mailing_id=mailing_for(page).pk, decision=Decision.NOTIFY, user=editor, now=NOW
        )
    assert mail.outbox == []  # not confirmed: not a recipient

    assert services.confirm(token=sub.token, now=NOW + dt.timedelta(days=6)) is not None
    sub.refresh_from_db()
    assert sub.confirmed_at is not None


def test_an_unconfirmed_subscription_expires_after_seven_days(
    groups, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.subscribe(
            email="laat@example.nl",
            frequency=Frequency.MONTHLY,
            target_group_ids=[groups[1].pk],
            theme_ids=[],
            now=NOW,
        )
    sub = Subscription.objects.get()
    late = NOW + dt.timedelta(days=7, minutes=1)
    assert services.confirm(token=sub.token, now=late) is None
    assert services.expire_unconfirmed(now=late) == 1
    assert not Subscription.objects.exists()
    assert not OutboxEmail.objects.filter(to="laat@example.nl").exists()


def test_the_same_answer_for_new_pending_and_known_addresses_but_no_changes_by_strangers(
    groups, subscriber, django_capture_on_commit_callbacks
):
    known = subscriber("bekend@example.nl", groups=[groups[0]])
    with django_capture_on_commit_callbacks(execute=True):
        outcome = services.subscribe(
            email="BEKEND@example.nl",
            frequency=Frequency.MONTHLY,
            target_group_ids=[groups[2].pk],
            theme_ids=[],
            now=NOW,
        )
    assert outcome == "known"
    known.refresh_from_db()
    assert known.frequency == Frequency.DIRECT  # a stranger cannot change someone's choice
    assert list(known.target_groups.all()) == [groups[0]]
    (message,) = mail.outbox
    assert f"/op-de-hoogte/beheren/{known.token}/" in message.body  # the owner can
    assert "bevestigen" not in message.body


def test_confirming_twice_or_with_a_forged_token_is_harmless(subscriber, groups):
    sub = subscriber("twee@example.nl", groups=[groups[0]])
    first = sub.confirmed_at
    assert services.confirm(token=sub.token, now=NOW + dt.timedelta(hours=1)).confirmed_at == first
    assert services.confirm(token="x" * 43, now=NOW) is None


def test_preferences_change_through_the_personal_link(subscriber, groups):
    sub = subscriber("kies@example.nl", groups=[groups[0]])
    tag = Tag.objects.create(name="Polarisatie", slug="polarisatie")
    services.update_preferences(
        token=sub.token,
        frequency=Frequency.MONTHLY,
        target_group_ids=[],
        theme_ids=[tag.pk],
        now=NOW,
    )
    sub.refresh_from_db()
    assert sub.frequency == Frequency.MONTHLY
    assert list(sub.target_groups.all()) == []
    assert [link.tag.slug for link in sub.theme_links.all()] == ["polarisatie"]
    with pytest.raises(services.SubscriptionError) as error:
        services.update_preferences(
            token=sub.token, frequency=Frequency.DIRECT, target_group_ids=[], theme_ids=[], now=NOW
        )
    assert str(error.value.message) == "Kies ten minste één doelgroep of thema."


def test_unsubscribing_removes_the_person_and_keeps_only_counts(
    subscriber, groups, publish, editor, django_capture_on_commit_callbacks
):
    sub = subscriber("weg@example.nl", groups=[groups[0]])
    page = publish(groups=[groups[0]])
    with django_capture_on_commit_callbacks(execute=True):
        services.decide(
            mailing_id=mailing_for(page).pk, decision=Decision.NOTIFY, user=editor, now=NOW
        )
    assert len(mail.outbox) == 1
    assert services.unsubscribe(token=sub.token, now=NOW) is True
    assert not Subscription.objects.exists()
    assert not Delivery.objects.exists()
    assert not OutboxEmail.objects.filter(to="weg@example.nl").exists()
    mailing = mailing_for(page)
    assert (mailing.recipients, mailing.sent) == (1, 1)  # the counts stay
    assert services.unsubscribe(token=sub.token, now=NOW) is False  # idempotent


# ----- what is sent ----------------------------------------------------------------------


def test_publishing_sends_nothing_and_one_mailing_per_page_whatever_the_republishing(
    groups, publish, subscriber
):
    subscriber("a@example.nl", groups=[groups[0]])
    page = publish(groups=[groups[0]], themes=["radicalisering"])
    page.save_revision().publish()
    page.title = "Signalen herkennen (herzien)"
    page.save_revision().publish()
    assert Mailing.objects.filter(kind="direct", page_id=page.pk).count() == 1
    mailing = mailing_for(page)
    assert mailing.status == MailingStatus.AWAITING
    assert mail.outbox == []
    (item,) = mailing.items.all()
    assert item.target_groups == [groups[0].pk] and item.themes == ["radicalisering"]


def test_a_page_for_nobody_or_a_plain_page_proposes_nothing(publish, site_home):
    page = publish(groups=[], themes=[])
    assert not Mailing.objects.filter(page_id=page.pk).exists()
    site_home.save_revision().publish()
    assert not Mailing.objects.filter(page_id=site_home.pk).exists()


def test_direct_subscribers_who_follow_the_group_or_theme_get_one_email_each(
    groups, publish, subscriber, editor, django_capture_on_commit_callbacks
):
    by_group = subscriber("groep@example.nl", groups=[groups[0]])
    subscriber("thema@example.nl", themes=["polarisatie"])
    subscriber("beide@example.nl", groups=[groups[0]], themes=["polarisatie"])
    subscriber("ander@example.nl", groups=[groups[1]])
    subscriber("maand@example.nl", groups=[groups[0]], frequency=Frequency.MONTHLY)
    page = publish("Online haat", groups=[groups[0]], themes=["polarisatie"])
    mailing = mailing_for(page)
    assert services.recipient_counts(mailing.items.get()) == {"direct": 3, "monthly": 1}

    with django_capture_on_commit_callbacks(execute=True):
        services.decide(mailing_id=mailing.pk, decision=Decision.NOTIFY, user=editor, now=NOW)
    assert sorted(m.to[0] for m in mail.outbox) == [
        "beide@example.nl",
        "groep@example.nl",
        "thema@example.nl",
    ]
    message = next(m for m in mail.outbox if m.to == ["groep@example.nl"])
    assert message.subject == "Nieuw: Online haat"
    assert message.extra_headers["List-Unsubscribe"] == (
        f"<http://testserver/op-de-hoogte/afmelden/{by_group.token}/>"
    )
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    html = message.alternatives[0][0]
    assert '<html lang="nl">' in html and "Online haat" in html
    assert f"/op-de-hoogte/link/{mailing.pk}/0/" in message.body  # counted, not personal
    assert f"/op-de-hoogte/afmelden/{by_group.token}/" in message.body
    assert by_group.token not in message.body.split("link/")[1].split()[0]

    # Running again (a second worker, a retry, the scheduler) sends nothing more.
    assert services.send_mailing(mailing_id=mailing.pk, now=NOW) == 0
    assert services.send_pending_mailings(now=NOW) == 0
    mailing.refresh_from_db()
    assert (mailing.recipients, mailing.sent, mailing.status) == (3, 3, MailingStatus.DONE)
    assert mailing.items.get().sent == 3


def test_choosing_not_to_notify_sends_nothing_and_a_second_decision_is_refused(
    groups, publish, subscriber, editor, django_capture_on_commit_callbacks
):
    subscriber("a@example.nl", groups=[groups[0]])
    mailing = mailing_for(publish(groups=[groups[0]]))
    with django_capture_on_commit_callbacks(execute=True):
        services.decide(mailing_id=mailing.pk, decision=Decision.SKIP, user=editor, now=NOW)
    with pytest.raises(services.SubscriptionError):
        services.decide(mailing_id=mailing.pk, decision=Decision.NOTIFY, user=editor, now=NOW)
    assert mail.outbox == []


def test_mail_server_down_the_announcement_waits_in_the_outbox(
    groups, publish, subscriber, editor, settings, django_capture_on_commit_callbacks
):
    subscriber("a@example.nl", groups=[groups[0]])
    mailing = mailing_for(publish(groups=[groups[0]]))
    settings.EMAIL_BACKEND = "tests.learning.broken_mail.Backend"
    with django_capture_on_commit_callbacks(execute=True):
        services.decide(mailing_id=mailing.pk, decision=Decision.NOTIFY, user=editor, now=NOW)
    email = OutboxEmail.objects.get(to="a@example.nl", tag__startswith="subscriptions:mailing")
    assert email.status == "pending" and email.attempts == 1
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert outbox.retry_due_emails(now=email.next_attempt_at) == 1
    assert len(mail.outbox) == 1
    mailing.refresh_from_db()
    assert (mailing.recipients, mailing.sent) == (1, 1)


# ----- the monthly overview ----------------------------------------------------------------


def test_each_monthly_subscriber_gets_what_appeared_in_their_groups_and_themes(
    groups, publish, subscriber, editor, django_capture_on_commit_callbacks
):
    april = dt.datetime(2026, 4, 10, 9, tzinfo=dt.UTC)
    onderwijs = subscriber("onderwijs@example.nl", groups=[groups[0]], frequency="monthly")
    subscriber("zorg@example.nl", groups=[groups[1]], frequency="monthly")
    subscriber("thema@example.nl", themes=["jihadisme"], frequency="monthly")
    subscriber("niets@example.nl", groups=[groups[2]], frequency="monthly")
    subscriber("direct@example.nl", groups=[groups[0]])  # gets the direct e-mail instead

    decisions = [
        ("Voor onderwijs", [groups[0]], [], Decision.NOTIFY),
        ("Voor zorg, alleen maandoverzicht", [groups[1]], [], Decision.DIGEST),
        ("Jihadisme voor iedereen", [], ["jihadisme"], Decision.NOTIFY),
        ("Niet aangekondigd", [groups[0]], [], Decision.SKIP),
    ]
    for title, for_groups, themes, decision in decisions:
        mailing = mailing_for(publish(title, groups=for_groups, themes=themes))
        with django_capture_on_commit_callbacks(execute=True):
            services.decide(mailing_id=mailing.pk, decision=decision, user=editor, now=april)
    mail.outbox.clear()

    first_of_may = dt.datetime(2026, 5, 1, 4, 0, tzinfo=dt.UTC)  # 06:00 in Amsterdam
    assert services.send_due_digests(now=first_of_may) == 0  # not before 07:00
    seven = dt.datetime(2026, 5, 1, 5, 0, tzinfo=dt.UTC)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_due_digests(now=seven) == 3
    got = {m.to[0]: m for m in mail.outbox}
    assert sorted(got) == ["onderwijs@example.nl", "thema@example.nl", "zorg@example.nl"]
    assert got["onderwijs@example.nl"].subject == "Nieuw in april 2026: een overzicht voor u"
    body = got["onderwijs@example.nl"].body
    assert "Voor onderwijs" in body
    assert "Voor zorg" not in body and "Jihadisme" not in body and "Niet aangekondigd" not in body
    assert "Voor zorg, alleen maandoverzicht" in got["zorg@example.nl"].body
    assert "Jihadisme voor iedereen" in got["thema@example.nl"].body
    assert f"/op-de-hoogte/afmelden/{onderwijs.token}/" in body
    assert got["onderwijs@example.nl"].extra_headers["List-Unsubscribe-Post"]

    # Once: later runs of the scheduler, the same month, send nothing again.
    assert services.send_due_digests(now=seven + dt.timedelta(hours=3)) == 0
    digest = Mailing.objects.get(kind="digest")
    assert (digest.recipients, digest.sent) == (3, 3)
    sent_per_item = dict(digest.items.values_list("title", "sent"))
    assert sent_per_item == {
        "Voor onderwijs": 1,
        "Voor zorg, alleen maandoverzicht": 1,
        "Jihadisme voor iedereen": 1,
    }


# ----- counting clicks -----------------------------------------------------------------------


def test_clicks_are_counted_per_item_per_day_once_per_visitor(
    groups, publish, subscriber, editor, django_capture_on_commit_callbacks
):
    subscriber("a@example.nl", groups=[groups[0]])
    page = publish(groups=[groups[0]])
    mailing = mailing_for(page)
    with django_capture_on_commit_callbacks(execute=True):
        services.decide(mailing_id=mailing.pk, decision=Decision.NOTIFY, user=editor, now=NOW)
    item, target = services.click_target(mailing_id=mailing.pk, position=0)
    assert target == page.url
    ua = "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0"
    assert services.count_click(item=item, ip="192.0.2.1", user_agent=ua, now=NOW)
    assert not services.count_click(item=item, ip="192.0.2.1", user_agent=ua, now=NOW)
    assert services.count_click(item=item, ip="192.0.2.2", user_agent=ua, now=NOW)
    assert list(ClickCount.objects.values_list("count", flat=True)) == [2]
    assert services.click_target(mailing_id=mailing.pk, position=9) == (None, "")


def test_the_tag_of_an_email_names_its_mailing_and_items():
    assert services.parse_tag("subscriptions:mailing:12") == (12, None)
    assert services.parse_tag("subscriptions:mailing:12:5") == (12, [0, 2])
    assert services.parse_tag("subscriptions:mailing:x") is None
    assert services.parse_tag("subscriptions:confirm") is None
