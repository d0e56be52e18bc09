import datetime as dt

import icalendar
import pytest
import vobject
from django.core import mail
from django.utils import timezone

from learning import services
from learning.models import (
    Registration,
    RegistrationStatus,
    RequestKind,
    TrainingRequest,
)
from learning.services import mail as mail_service
from learning.services import registrations
from website import mail as website_mail
from website.models import OutboxEmail, OutboxStatus

pytestmark = pytest.mark.django_db


def test_registrations_fill_places_then_waiting_list_in_order(
    make_training, make_session, person_factory, committed
):
    session = make_session(make_training(), capacity=2)
    now = timezone.now()
    with committed():
        results = [
            services.register(session_id=session.pk, person=person_factory(i), now=now)
            for i in range(4)
        ]
    assert [r.registration.status for r in results] == [
        "confirmed",
        "confirmed",
        "waiting",
        "waiting",
    ]
    subjects = [m.subject for m in mail.outbox]
    assert subjects[0].startswith("Aanmelding bevestigd") and subjects[2].startswith(
        "Op de wachtlijst"
    )
    assert mail.outbox[0].alternatives[0][1] == "text/html"


def test_confirmation_has_rfc5545_invite_parsed_by_two_parsers(
    make_training, make_session, person_factory, committed
):
    session = make_session(make_training(), online=True)
    with committed():
        reg = services.register(session_id=session.pk, person=person_factory(), now=timezone.now())
    _name, content, mimetype = mail.outbox[0].attachments[0]
    assert mimetype.startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(content)
    assert cal["VERSION"] == "2.0" and cal["PRODID"]
    event = cal.walk("VEVENT")[0]
    assert event["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    assert cal.walk("VTIMEZONE") and event.walk("VALARM")
    assert "geheim-123" in str(event["LOCATION"])  # confirmed: gets the join link
    assert reg.registration.token in str(event["URL"])
    parsed = vobject.readOne(content)
    assert parsed.vevent.summary.value == session.page.title
    assert parsed.vevent.dtstart.value.tzinfo is not None


def test_waiting_list_person_never_sees_join_link(
    make_training, make_session, person_factory, committed
):
    session = make_session(make_training(), capacity=1, online=True)
    now = timezone.now()
    with committed():
        services.register(session_id=session.pk, person=person_factory(1), now=now)
        services.register(session_id=session.pk, person=person_factory(2), now=now)
    waiting_mail = mail.outbox[1]
    assert "geheim-123" not in waiting_mail.body and not waiting_mail.attachments


def test_same_address_gets_no_duplicate_but_link_again(
    make_training, make_session, person_factory, committed
):
    session = make_session(make_training())
    now = timezone.now()
    with committed():
        first = services.register(session_id=session.pk, person=person_factory(1), now=now)
        again = services.register(
            session_id=session.pk, person=person_factory(1, email="PERSOON1@example.nl"), now=now
        )
    assert not again.created and again.registration.pk == first.registration.pk
    assert Registration.objects.count() == 1
    assert first.registration.token in mail.outbox[-1].body


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_registration_emails_nobody(
    make_training, make_session, person_factory, monkeypatch
):
    """Real commits and rollbacks (transaction=True): the e-mail is written to the outbox
    inside the registration's transaction, then something fails before the commit."""
    session = make_session(make_training())
    enqueued = []
    real_enqueue = website_mail._enqueue
    monkeypatch.setattr(
        website_mail, "_enqueue", lambda *a, **kw: enqueued.append(a) or real_enqueue(*a, **kw)
    )

    def queue_then_fail(registration, template, *, now):
        mail_service.queue_email(registration, template, now=now)
        assert OutboxEmail.objects.exists()  # the outbox row was written ...
        raise RuntimeError("database went away")  # ... and the transaction fails

    monkeypatch.setattr(registrations, "queue_email", queue_then_fail)
    with pytest.raises(RuntimeError):
        services.register(session_id=session.pk, person=person_factory(), now=timezone.now())
    assert not Registration.objects.exists()
    assert not OutboxEmail.objects.exists()
    assert enqueued == [] and mail.outbox == []

    monkeypatch.setattr(registrations, "queue_email", mail_service.queue_email)
    services.register(session_id=session.pk, person=person_factory(), now=timezone.now())
    assert len(enqueued) == 1 and len(mail.outbox) == 1  # the test can see a mail go out


@pytest.mark.parametrize(
    ("days", "kwargs", "message"),
    [
        (-2, {}, "al plaatsgevonden"),
        (10, {"status": "cancelled"}, "geannuleerd"),
        (10, {"deadline": timezone.now() - dt.timedelta(hours=1)}, "gesloten"),
    ],
)
def test_past_cancelled_or_closed_sessions_refuse(
    make_training, make_session, person_factory, days, kwargs, message
):
    session = make_session(make_training(), days=days, **kwargs)
    with pytest.raises(services.RegistrationError) as exc:
        services.register(session_id=session.pk, person=person_factory(), now=timezone.now())
    assert message in str(exc.value.message)
    assert Registration.objects.count() == 0


def test_cancelling_a_place_promotes_first_waiting_and_mails(
    make_training, make_session, person_factory, committed
):
    session = make_session(make_training(), capacity=1)
    now = timezone.now()
    a = services.register(session_id=session.pk, person=person_factory(1), now=now)
    b = services.register(
        session_id=session.pk, person=person_factory(2), now=now + dt.timedelta(seconds=1)
    )
    c = services.register(
        session_id=session.pk, person=person_factory(3), now=now + dt.timedelta(seconds=2)
    )
    with committed():
        services.cancel_registration(registration_id=a.registration.pk, now=now)
    statuses = dict(Registration.objects.values_list("pk", "status"))
    assert statuses[a.registration.pk] == "cancelled"
    assert statuses[b.registration.pk] == "confirmed"
    assert statuses[c.registration.pk] == "waiting"
    assert {m.to[0] for m in mail.outbox} == {"persoon1@example.nl", "persoon2@example.nl"}
    cancel_ics = icalendar.Calendar.from_ical(mail.outbox[0].attachments[0][1])
    assert cancel_ics["METHOD"] == "CANCEL"


def test_coordinator_move_respects_capacity(make_training, make_session, person_factory):
    session = make_session(make_training(), capacity=1)
    now = timezone.now()
    services.register(session_id=session.pk, person=person_factory(1), now=now)
    waiting = services.register(session_id=session.pk, person=person_factory(2), now=now)
    with pytest.raises(services.RegistrationError):
        services.move_registration(
            registration_id=waiting.registration.pk, status="confirmed", now=now
        )
    session.capacity = 2
    session.save()
    moved = services.move_registration(
        registration_id=waiting.registration.pk, status="confirmed", now=now
    )
    assert moved.status == RegistrationStatus.CONFIRMED


def test_cancel_session_notifies_everyone(make_training, make_session, person_factory, committed):
    session = make_session(make_training(), capacity=1)
    now = timezone.now()
    for i in range(3):
        services.register(session_id=session.pk, person=person_factory(i), now=now)
    with committed():
        assert services.cancel_session(session_id=session.pk, now=now) == 3
    assert len(mail.outbox) == 3
    assert all("geannuleerd" in m.subject.lower() for m in mail.outbox)
    session.refresh_from_db()
    assert session.sequence == 1


def test_mail_server_down_keeps_registration_and_retries(
    make_training, make_session, person_factory, settings, committed
):
    session = make_session(make_training())
    settings.EMAIL_BACKEND = "tests.learning.broken_mail.Backend"
    now = timezone.now()
    with committed():
        result = services.register(session_id=session.pk, person=person_factory(), now=now)
    assert Registration.objects.filter(pk=result.registration.pk).exists()
    email = OutboxEmail.objects.get()
    assert email.status == OutboxStatus.PENDING and email.attempts == 1
    assert services.retry_due_emails(now=now) == 0  # not due yet
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert services.retry_due_emails(now=email.next_attempt_at) == 1
    email.refresh_from_db()
    assert email.status == OutboxStatus.SENT and email.attempts == 2
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["persoon0@example.nl"]


def test_anonymising_keeps_report_facts(make_training, make_session, person_factory):
    session = make_session(make_training())
    reg = services.register(
        session_id=session.pk, person=person_factory(), now=timezone.now()
    ).registration
    later = session.ends_at + dt.timedelta(days=400)
    assert services.anonymise_participants(ended_before=later, now=later) == 1
    reg.refresh_from_db()
    reg.participant.refresh_from_db()
    assert reg.participant.email == "" and reg.participant.last_name == ""
    assert reg.target_group_id and reg.organisation.name == "Gemeente Haarlem"


def test_delivered_emails_keep_no_body_and_are_purged_with_the_registrations(
    make_training, make_session, person_factory, committed
):
    session = make_session(make_training())
    with committed():
        reg = services.register(
            session_id=session.pk, person=person_factory(), now=timezone.now()
        ).registration
    email = OutboxEmail.objects.get()
    assert email.status == OutboxStatus.SENT
    assert reg.token in mail.outbox[0].body  # the person got their personal link ...
    assert (email.text, email.html, email.ics) == ("", "", "")  # ... the database keeps none
    later = session.ends_at + dt.timedelta(days=400)
    services.anonymise_participants(ended_before=later, now=later)
    assert not OutboxEmail.objects.exists()


@pytest.mark.parametrize("status", ["new", "in_progress", "scheduled", "declined"])
def test_requests_lose_their_contact_details_on_the_retention_clock(status, settings):
    """Handled or not, a request's contact details go once it was received longer ago than
    the retention period (measured from its creation); a younger one keeps them."""
    settings.LEARNING_RETENTION_DAYS = 365

    def request(received):
        made = TrainingRequest.objects.create(
            kind=RequestKind.IN_COMPANY,
            status=status,
            organisation="Gemeente Hoorn",
            contact_name="Anna de Vries",
            contact_email="anna@hoorn.nl",
            contact_phone="0612345678",
            wanted="Basistraining",
            preferred_period="voorjaar",
            remarks="Graag op dinsdag",
        )
        TrainingRequest.objects.filter(pk=made.pk).update(created_at=received)  # auto_now_add
        return made

    now = timezone.now()
    old = request(now - dt.timedelta(days=366))
    young = request(now - dt.timedelta(days=364))
    services.anonymise_participants(ended_before=now - services.retention(), now=now)
    old.refresh_from_db()
    young.refresh_from_db()
    assert (old.contact_name, old.contact_email, old.contact_phone, old.remarks) == ("",) * 4
    assert (old.organisation, old.wanted, old.status) == ("Gemeente Hoorn", "Basistraining", status)
    assert young.contact_email == "anna@hoorn.nl" and young.remarks == "Graag op dinsdag"


def test_a_place_taken_moves_the_facts_stamp_a_waiting_list_entry_does_not(
    make_training, make_session, person_factory, committed
):
    """Public pages show places left (confirmed registrations): a confirmed registration
    changes them at once (the facts stamp, in every rendered page's key); one more person
    on a full session's waiting list changes nothing they show, so every cached page stays
    valid. Neither moves the content stamp: routes, pages and reference data stay cached."""
    from website import stamps  # noqa: PLC0415

    session = make_session(make_training(), capacity=1)
    now = timezone.now()
    content, before = stamps.current(), stamps.facts()
    with committed():
        services.register(session_id=session.pk, person=person_factory(1), now=now)
    after_confirmed = stamps.facts()
    assert after_confirmed != before
    with committed():
        waiting = services.register(session_id=session.pk, person=person_factory(2), now=now)
    assert waiting.registration.status == RegistrationStatus.WAITING
    assert stamps.facts() == after_confirmed
    # A cancellation frees the place and promotes the waiting person: pages change again.
    first = Registration.objects.get(session=session, status=RegistrationStatus.CONFIRMED)
    with committed():
        services.cancel_registration(registration_id=first.pk, now=now)
    assert stamps.facts() != after_confirmed
    assert stamps.current() == content
