"""Subscriptions are personal data: what we hold about one address, erasing it (the
data-subject rights hook), the clean-up of unconfirmed subscriptions by the scheduled
jobs, and the privacy statement that says so."""

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from wagtail import hooks

from subscriptions import demo, services
from subscriptions.models import ClickCount, Decision, Delivery, Frequency, Subscription
from subscriptions.services import personal_data
from tests.subscriptions.conftest import NOW, mailing_for
from website import demo as website_demo
from website import hooks as cter
from website.models import OutboxEmail, SiteSettings

pytestmark = pytest.mark.django_db


def test_export_and_erase_of_one_address(
    groups, subscriber, publish, editor, django_capture_on_commit_callbacks
):
    sub = subscriber("persoon@example.nl", groups=[groups[0]], themes=["polarisatie"])
    other = subscriber("ander@example.nl", groups=[groups[0]])
    mailing = mailing_for(publish(groups=[groups[0]]))
    with django_capture_on_commit_callbacks(execute=True):
        services.decide(mailing_id=mailing.pk, decision=Decision.NOTIFY, user=editor, now=NOW)
    item = mailing.items.get()
    services.count_click(item=item, ip="192.0.2.7", user_agent="Mozilla/5.0 Chrome/131", now=NOW)

    (record,) = personal_data.find(email=" Persoon@Example.nl ")
    assert str(record.kind) == "abonnement"
    fields = {str(name): value for name, value in record.fields}
    assert fields["e-mailadres"] == "persoon@example.nl"
    assert fields["doelgroepen"] == groups[0].name
    assert fields["Thema's"] == "polarisatie"
    assert fields["bevestigd op"] == sub.confirmed_at
    assert fields["Ontvangen mailings (afgelopen weken)"] == 1
    assert personal_data.find(email="niemand@example.nl") == []
    assert personal_data.blockers(email="persoon@example.nl", now=NOW) == []

    erased = personal_data.erase(email="PERSOON@example.nl", now=NOW)
    assert {str(kind): n for kind, n in erased.items()} == {"abonnementen": 1}
    assert list(Subscription.objects.all()) == [other]
    assert not OutboxEmail.objects.filter(to="persoon@example.nl").exists()
    assert OutboxEmail.objects.filter(to="ander@example.nl").exists()
    assert list(Delivery.objects.values_list("subscription__email", flat=True)) == [other.email]
    mailing.refresh_from_db()
    assert (mailing.recipients, mailing.sent) == (2, 2)  # the counts stay
    assert ClickCount.objects.get().count == 1  # a count, never a person
    assert personal_data.erase(email="persoon@example.nl", now=NOW) == {}


def test_the_app_answers_the_data_subject_rights_hook_where_website_defines_it():
    if not hasattr(cter, "PERSONAL_DATA"):
        assert personal_data.source not in hooks.get_hooks("cter_personal_data")
        return
    (source,) = [s for s in cter.personal_data_sources() if s.find is personal_data.find]
    assert str(source.label) == "Houd mij op de hoogte"
    assert source.erase is personal_data.erase and source.blockers is personal_data.blockers


def test_the_scheduled_jobs_remove_unconfirmed_subscriptions_after_seven_days(
    groups, subscriber, django_capture_on_commit_callbacks
):
    now = timezone.now()
    kept = subscriber("bevestigd@example.nl", groups=[groups[0]], now=now - dt.timedelta(days=30))
    for email, age in (("oud@example.nl", 8), ("vers@example.nl", 6)):
        with django_capture_on_commit_callbacks(execute=True):
            services.subscribe(
                email=email,
                frequency=Frequency.DIRECT,
                target_group_ids=[groups[0].pk],
                theme_ids=[],
                now=now - dt.timedelta(days=age),
            )
    assert OutboxEmail.objects.filter(to="oud@example.nl").exists()
    out = StringIO()
    call_command("run_scheduled", stdout=out)
    assert "1 unconfirmed subscription(s)" in out.getvalue()
    assert sorted(Subscription.objects.values_list("email", flat=True)) == [
        kept.email,
        "vers@example.nl",
    ]
    assert not OutboxEmail.objects.filter(to="oud@example.nl").exists()
    assert len(mail.outbox) == 2  # the two confirmation e-mails, nothing more


def test_the_privacy_statement_lists_subscriptions(client, db):
    website_demo.seed()
    demo.seed()
    demo.seed()  # idempotent: the section once
    privacy = SiteSettings.load().privacy_page
    html = client.get(privacy.url).content.decode()
    assert html.count(demo.PRIVACY_HEADING) == 1
    assert "zonder bevestiging wissen we uw adres na zeven dagen" in html
