"""Never twice, with real concurrent connections on PostgreSQL: two editors publishing
the same page at once, several editors deciding at once, several workers sending the
same mailing or the same monthly overview at once."""

import datetime as dt
from collections import Counter

import pytest
from django.core import mail
from django.utils import timezone
from wagtail.models import Page

from subscriptions import services
from subscriptions.models import Decision, Delivery, Mailing, MailingStatus, Subscription
from tests.concurrency import run_together
from tests.subscriptions.conftest import mailing_for
from website.models import OutboxEmail

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
RUNNERS = 8


def announcements() -> Counter:
    return Counter(
        OutboxEmail.objects.filter(tag__startswith="subscriptions:mailing").values_list(
            "to", flat=True
        )
    )


def test_publishing_the_same_page_at_once_proposes_one_mailing(groups, publish):
    page = publish(groups=[groups[0]])
    Mailing.objects.all().delete()  # as if it was published for the first time just now

    def publish_again():
        Page.objects.get(pk=page.pk).specific.save_revision().publish()

    errors, _ = run_together([publish_again] * RUNNERS)
    assert errors == []
    assert Mailing.objects.filter(page_id=page.pk).count() == 1


def test_several_editors_deciding_at_once_send_once(groups, publish, subscriber, editor):
    for n in range(10):
        subscriber(f"a{n}@example.nl", groups=[groups[0]])
    mailing = mailing_for(publish(groups=[groups[0]]))
    mail.outbox.clear()

    def decide():
        services.decide(
            mailing_id=mailing.pk, decision=Decision.NOTIFY, user=editor, now=timezone.now()
        )

    errors, _ = run_together([decide] * RUNNERS)
    assert len(errors) == RUNNERS - 1
    assert all(isinstance(e, services.SubscriptionError) for e in errors)
    per_address = announcements()
    assert len(per_address) == 10 and set(per_address.values()) == {1}
    assert len(mail.outbox) == 10


def test_several_workers_sending_one_mailing_mail_each_subscriber_once(groups, publish, subscriber):
    for n in range(30):
        subscriber(f"b{n}@example.nl", groups=[groups[n % 2]], themes=["polarisatie"])
    mailing = mailing_for(publish(groups=[groups[0]], themes=["polarisatie"]))
    # Decided, not yet sent (the task has not run): every worker and scheduler may start.
    Mailing.objects.filter(pk=mailing.pk).update(
        decision=Decision.NOTIFY, status=MailingStatus.SENDING, started_at=timezone.now()
    )
    mail.outbox.clear()

    errors, results = run_together(
        [lambda: services.send_mailing(mailing_id=mailing.pk, now=timezone.now())] * RUNNERS
    )
    assert errors == []
    assert sum(results) == 30
    per_address = announcements()
    assert len(per_address) == 30 and set(per_address.values()) == {1}
    assert Delivery.objects.filter(mailing=mailing).count() == 30
    mailing.refresh_from_db()
    assert (mailing.recipients, mailing.sent, mailing.status) == (30, 30, MailingStatus.DONE)


def test_several_schedulers_send_each_monthly_overview_once(groups, publish, subscriber, editor):
    april = dt.datetime(2026, 4, 10, 9, tzinfo=dt.UTC)
    for n in range(20):
        subscriber(f"m{n}@example.nl", groups=[groups[n % 3]], frequency="monthly")
    for n in range(3):
        page = publish(f"April {n}", groups=[groups[n]])
        services.decide(
            mailing_id=mailing_for(page).pk, decision=Decision.DIGEST, user=editor, now=april
        )
    mail.outbox.clear()
    may = dt.datetime(2026, 5, 1, 8, tzinfo=dt.UTC)

    errors, results = run_together([lambda: services.send_due_digests(now=may)] * RUNNERS)
    assert errors == []
    assert sum(results) == 20
    per_address = announcements()
    assert len(per_address) == 20 and set(per_address.values()) == {1}
    assert Mailing.objects.filter(kind="digest").count() == 1


def test_a_confirmation_at_the_moment_of_expiry_is_either_kept_or_refused(groups):
    """The clean-up of unconfirmed subscriptions and a last-minute confirmation at once:
    a subscription the person was told is confirmed is never deleted."""
    now = timezone.now()
    for round_ in range(5):
        services.subscribe(
            email=f"laat{round_}@example.nl",
            frequency="direct",
            target_group_ids=[groups[0].pk],
            theme_ids=[],
            now=now - dt.timedelta(days=7, seconds=1),
        )
        token = Subscription.objects.get(email=f"laat{round_}@example.nl").token
        errors, results = run_together(
            [
                lambda token=token: services.confirm(
                    token=token, now=now - dt.timedelta(seconds=2)
                ),
                lambda: services.expire_unconfirmed(now=now),
            ]
        )
        assert errors == []
        confirmed = any(isinstance(r, Subscription) for r in results)
        assert Subscription.objects.filter(token=token).exists() == confirmed
