"""After the session: reminders, attendance, surveys, certificates, "Mijn trainingen"."""

import datetime as dt
import io
import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from learning import selectors, services
from learning.models import Attendance, Evaluation, Registration, SignInToken
from tests.learning.aftercare_helpers import after, register_many
from website.management.commands import run_scheduled as scheduler_command

pytestmark = pytest.mark.django_db


@pytest.fixture
def past_session(make_training, make_session):
    return make_session(make_training("Radicalisering herkennen"), days=-3, capacity=3)


def link_in(message, pattern):
    found = re.search(r"http://testserver(/\S+)", message.body[message.body.find(pattern) :])
    assert found, message.body
    return found.group(1)


# ----- reminders -------------------------------------------------------------------------


def test_reminder_goes_once_to_confirmed_with_ics_and_join_link(
    make_training, make_session, person_factory, committed
):
    session = make_session(make_training("Online haat"), days=1, capacity=2, online=True)
    now = timezone.now()
    with committed():  # the confirmations go out (the scheduler below would retry them)
        first, _second, waiting = register_many(session, person_factory, 3)
    assert waiting.status == "waiting"
    mail.outbox.clear()

    with committed():
        assert services.send_due_reminders(now=now) == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["persoon0@example.nl", "persoon1@example.nl"]
    message = mail.outbox[0]
    assert message.subject == "Herinnering: Online haat"
    assert "https://meet.example.nl/geheim-123" in message.body
    assert message.attachments[0][0] == "uitnodiging.ics"
    assert b"BEGIN:VEVENT" in message.attachments[0][1].encode()

    mail.outbox.clear()
    with committed():
        assert services.send_due_reminders(now=now) == 0
        call_command("send_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert mail.outbox == []
    first.refresh_from_db()
    assert first.reminder_sent_at is not None


def test_session_moved_to_a_later_date_is_reminded_again(
    make_training, make_session, person_factory
):
    session = make_session(make_training(), days=1)
    now = timezone.now()
    register_many(session, person_factory, 1)
    assert services.send_due_reminders(now=now) == 1
    session.date += dt.timedelta(days=7)
    session.save()
    services.notify_session_changed(session_id=session.pk, now=now)
    assert services.send_due_reminders(now=now) == 0
    day_before = session.starts_at - dt.timedelta(days=1)
    assert services.send_due_reminders(now=day_before) == 1
    assert services.send_due_reminders(now=day_before) == 0


def test_reminder_window_is_configurable(settings, make_training, make_session, person_factory):
    session = make_session(make_training(), days=5)
    register_many(session, person_factory, 1)
    assert services.send_due_reminders(now=timezone.now()) == 0
    settings.LEARNING_REMINDER_DAYS = 6
    assert services.send_due_reminders(now=timezone.now()) == 1


def test_no_reminder_for_cancelled_session_or_registration(
    make_training, make_session, person_factory
):
    session = make_session(make_training(), days=1)
    now = timezone.now()
    a, _b = register_many(session, person_factory, 2)
    services.cancel_registration(registration_id=a.pk, now=now)
    assert services.send_due_reminders(now=now) == 1
    other = make_session(make_training("Ander"), days=1)
    register_many(other, person_factory, 1, start=5)
    services.cancel_session(session_id=other.pk, now=now)
    assert services.send_due_reminders(now=now) == 0


def test_no_reminder_right_after_the_confirmation_mail(make_training, make_session, person_factory):
    """Registered or promoted inside the reminder window: the confirmation just sent has
    the invite and join link, a "reminder" minutes later would be noise."""
    session = make_session(make_training(), days=1, capacity=1, online=True)
    now = timezone.now()
    early, waiting = register_many(session, person_factory, 2)  # a week ahead
    late = register_many(session, person_factory, 1, start=2, now=now)[0]
    assert (waiting.status, late.status) == ("waiting", "waiting")
    services.cancel_registration(registration_id=early.pk, now=now)  # promotes `waiting`
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"
    mail.outbox.clear()
    assert services.send_due_reminders(now=now) == 0
    assert mail.outbox == []


# ----- attendance --------------------------------------------------------------------------


def test_bulk_attendance_in_admin(coordinator, past_session, person_factory):
    a, b, c = register_many(past_session, person_factory, 3)
    url = f"/admin/trainingen/sessies/{past_session.pk}/"
    html = coordinator.get(url).content.decode()
    assert 'name="registrations"' in html and "Onbekend" in html
    response = coordinator.post(
        url + "aanwezigheid/",
        {"registrations": [a.pk, b.pk], "attendance": "present"},
        follow=True,
    )
    assert "2 aanmeldingen gemarkeerd: Aanwezig." in response.content.decode()
    response = coordinator.post(
        url + "aanwezigheid/", {"registrations": [c.pk], "attendance": "absent"}
    )
    states = dict(Registration.objects.values_list("pk", "attendance"))
    assert states == {a.pk: "present", b.pk: "present", c.pk: "absent"}
    coordinator.post(url + "aanwezigheid/", {"scope": "all", "attendance": "unknown"})
    assert set(Registration.objects.values_list("attendance", flat=True)) == {"unknown"}
    response = coordinator.post(url + "aanwezigheid/", {"attendance": "present"}, follow=True)
    assert "Selecteer ten minste één aanmelding" in response.content.decode()
    # forged ids: absurdly large numbers and many of them give a message, not a 500
    forged = ["9" * 5000, "99999999999999999999", *map(str, range(10**6, 10**6 + 900))]
    response = coordinator.post(
        url + "aanwezigheid/", {"registrations": forged, "attendance": "present"}, follow=True
    )
    assert response.status_code == 200
    assert "0 aanmeldingen gemarkeerd" in response.content.decode()


def test_attendance_not_before_the_session_starts(
    coordinator, make_training, make_session, person_factory
):
    session = make_session(make_training(), days=3)
    (reg,) = register_many(session, person_factory, 1, now=timezone.now())
    response = coordinator.post(
        f"/admin/trainingen/sessies/{session.pk}/aanwezigheid/",
        {"scope": "all", "attendance": "present"},
        follow=True,
    )
    assert "zodra de sessie is begonnen" in response.content.decode()
    reg.refresh_from_db()
    assert reg.attendance == Attendance.UNKNOWN


def upload(client, session, content: bytes, name="aanwezig.csv", **extra):
    return client.post(
        f"/admin/trainingen/sessies/{session.pk}/aanwezigheid/importeren/",
        {"file": SimpleUploadedFile(name, content, content_type="text/csv"), **extra},
    )


def test_csv_import_with_bom_semicolons_unknown_and_duplicates(
    coordinator, past_session, person_factory
):
    a, b, c = register_many(past_session, person_factory, 3)
    data = (
        "\ufeffNaam;Duur;E-MAILADRES\r\n"
        "Persoon 0;55;Persoon0@Example.NL\r\n"
        "Onbekend;30;niet.aangemeld@ggd.nl\r\n"
        "Persoon 0 opnieuw;10;persoon0@example.nl\r\n"
        "Persoon 1;40; persoon1@example.nl \r\n"
        "Kapot;1;geen-adres\r\n"
    ).encode()
    response = upload(coordinator, past_session, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "2 aanmeldingen aanwezig gemeld" in html
    assert "niet.aangemeld@ggd.nl" in html
    assert "Regel 4: persoon0@example.nl" in html
    assert "Regel 6: geen-adres" in html
    states = dict(Registration.objects.values_list("pk", "attendance"))
    assert states == {a.pk: "present", b.pk: "present", c.pk: "unknown"}

    upload(coordinator, past_session, b"E-mail\npersoon0@example.nl\n", absent_if_missing="on")
    states = dict(Registration.objects.values_list("pk", "attendance"))
    assert states == {a.pk: "present", b.pk: "absent", c.pk: "absent"}


def test_csv_import_errors_next_to_the_field(coordinator, past_session, person_factory):
    register_many(past_session, person_factory, 1)
    response = upload(coordinator, past_session, b"Naam;Duur\nAnna;55\n")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Geen kolom met e-mailadressen gevonden" in html
    response = upload(coordinator, past_session, b"")
    assert "Het bestand is leeg" in response.content.decode()
    response = coordinator.post(
        f"/admin/trainingen/sessies/{past_session.pk}/aanwezigheid/importeren/", {}
    )
    assert "Kies een CSV-bestand" in response.content.decode()
    assert set(Registration.objects.values_list("attendance", flat=True)) == {"unknown"}


def test_absent_if_missing_refuses_a_file_that_matches_nobody(
    coordinator, past_session, person_factory
):
    a, b = register_many(past_session, person_factory, 2)
    upload(coordinator, past_session, b"E-mail\npersoon0@example.nl\n")
    # the export of another session: nobody of this one is on it
    response = upload(coordinator, past_session, b"E-mail\nander@ggd.nl\n", absent_if_missing="on")
    assert response.status_code == 200
    assert "Niemand is afwezig gemeld" in response.content.decode()
    states = dict(Registration.objects.values_list("pk", "attendance"))
    assert states == {a.pk: "present", b.pk: "unknown"}


# ----- surveys -----------------------------------------------------------------------------


def test_survey_sent_once_to_attendees_and_answered_once(
    client, past_session, person_factory, committed
):
    present, absent, unknown = register_many(past_session, person_factory, 3)
    now = after(past_session)
    services.mark_attendance(
        session_id=past_session.pk, attendance="present", registration_ids=[present.pk], now=now
    )
    services.mark_attendance(
        session_id=past_session.pk, attendance="absent", registration_ids=[absent.pk], now=now
    )
    with committed():
        assert services.send_due_surveys(now=now) == 1
        assert services.send_due_surveys(now=now) == 0
    (message,) = mail.outbox
    assert message.to == ["persoon0@example.nl"]
    url = link_in(message, "vragenlijst")
    assert url == f"/trainingen/aanmelding/{present.token}/evaluatie/"

    page = client.get(url)
    assert page.status_code == 200
    response = client.post(url, {"overall": "9", "improvement": "x" * 2001})
    html = response.content.decode()
    assert "Kies een cijfer van 1 tot 5" in html and "Kies ja of nee" in html
    assert "x" * 2001 in html  # input kept
    assert "niet meer dan 2000 tekens" in html
    assert not Evaluation.objects.exists()

    response = client.post(
        url,
        {
            "overall": "4",
            "usefulness": "5",
            "recommend": "yes",
            "improvement": "<script>alert(1)</script> Meer casuïstiek",
        },
    )
    assert response.status_code == 302
    evaluation = Evaluation.objects.get()
    assert (evaluation.overall, evaluation.usefulness, evaluation.recommend) == (4, 5, True)
    thanks = client.get(response["Location"])
    assert "Bedankt voor uw antwoorden" in thanks.content.decode()
    again = client.get(url)
    assert again.status_code == 410 and "<form" not in again.content.decode().split("<main")[1]
    client.post(url, {"overall": "1", "usefulness": "1", "recommend": "no"})
    assert Evaluation.objects.count() == 1
    # the unique constraint holds even without the service
    with pytest.raises(IntegrityError), transaction.atomic():
        Evaluation.objects.create(
            registration=present, overall=1, usefulness=1, recommend=False, created_at=now
        )
    # absent and unknown people cannot answer
    assert client.get(f"/trainingen/aanmelding/{absent.token}/evaluatie/").status_code == 404
    assert client.get(f"/trainingen/aanmelding/{unknown.token}/evaluatie/").status_code == 404


def test_scores_out_of_range_are_refused_by_the_database(past_session, person_factory):
    (reg,) = register_many(past_session, person_factory, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Evaluation.objects.create(
            registration=reg, overall=6, usefulness=3, recommend=True, created_at=timezone.now()
        )


def test_evaluation_reports_escape_comments_and_count(coordinator, past_session, person_factory):
    regs = register_many(past_session, person_factory, 3)
    now = after(past_session)
    services.mark_attendance(session_id=past_session.pk, attendance="present", now=now)
    services.send_due_surveys(now=now)
    for reg, (o, u, rec, text) in zip(
        regs[:2], [(4, 5, True, "<b>Meer</b> pauzes"), (2, 3, False, "")], strict=False
    ):
        services.submit_evaluation(
            registration_id=reg.pk,
            overall=o,
            usefulness=u,
            recommend=rec,
            improvement=text,
            now=now,
        )
    html = coordinator.get("/admin/trainingen/evaluaties/").content.decode()
    assert "Radicalisering herkennen" in html
    assert "67%" in html  # 2 of 3 present answered
    assert "3,0" in html and "4,0" in html and "50%" in html
    html = coordinator.get(f"/admin/trainingen/evaluaties/{past_session.page_id}/").content.decode()
    assert "&lt;b&gt;Meer&lt;/b&gt; pauzes" in html and "<b>Meer</b>" not in html
    html = coordinator.get(f"/admin/trainingen/sessies/{past_session.pk}/").content.decode()
    assert "&lt;b&gt;Meer&lt;/b&gt; pauzes" in html


def test_anonymising_clears_comments_keeps_scores(past_session, person_factory):
    (reg,) = register_many(past_session, person_factory, 1)
    now = after(past_session)
    services.mark_attendance(session_id=past_session.pk, attendance="present", now=now)
    services.submit_evaluation(
        registration_id=reg.pk,
        overall=5,
        usefulness=4,
        recommend=True,
        improvement="Ik als enige wijkagent uit Hoorn...",
        now=now,
    )
    later = now + dt.timedelta(days=400)
    services.anonymise_participants(ended_before=later, now=later)
    evaluation = Evaluation.objects.get()
    assert evaluation.improvement == "" and evaluation.overall == 5
    reg.refresh_from_db()
    assert reg.attendance == "present"


# ----- certificate -------------------------------------------------------------------------


def test_certificate_only_for_people_marked_present(client, past_session, person_factory):
    present, absent = register_many(past_session, person_factory, 2)
    now = after(past_session)
    services.mark_attendance(
        session_id=past_session.pk, attendance="present", registration_ids=[present.pk], now=now
    )
    response = client.get(f"/trainingen/aanmelding/{absent.token}/bewijs-van-deelname/")
    assert response.status_code == 404
    assert "alleen voor deelnemers" in response.content.decode()
    page = client.get(f"/trainingen/aanmelding/{present.token}/").content.decode()
    assert "bewijs-van-deelname" in page
    assert (
        "bewijs-van-deelname"
        not in client.get(f"/trainingen/aanmelding/{absent.token}/").content.decode()
    )
    html = client.get(f"/trainingen/aanmelding/{present.token}/bewijs-van-deelname/").content
    html = html.decode()
    for text in ("Bewijs van deelname", "Persoon0 Jansen", "Radicalisering herkennen", "Basis"):
        assert text in html
    assert "3 uur" in html and "Noord-Holland Samen Veilig" in html
    assert "learning/certificate.css" in html


def test_cancelled_after_marking_earns_no_survey_certificate_or_count(
    client, past_session, person_factory, committed
):
    _kept, corrected = register_many(past_session, person_factory, 2)
    now = after(past_session)
    services.mark_attendance(session_id=past_session.pk, attendance="present", now=now)
    # a coordinator's correction afterwards: this one did not really have a place
    Registration.objects.filter(pk=corrected.pk).update(status="cancelled")
    with committed():
        assert services.send_due_surveys(now=now) == 1
    assert [m.to[0] for m in mail.outbox] == ["persoon0@example.nl"]
    response = client.get(f"/trainingen/aanmelding/{corrected.token}/bewijs-van-deelname/")
    assert response.status_code == 404

    (row,) = selectors.organisations_with_counts()
    assert (row.registration_count, row.attended_count) == (2, 1)


# ----- "Mijn trainingen" ----------------------------------------------------------------------


def _body(response):
    return response.content.decode().replace(response.wsgi_request.META.get("CSRF_COOKIE", ""), "")


def test_same_answer_for_known_and_unknown_addresses(
    client, past_session, person_factory, committed
):
    register_many(past_session, person_factory, 1)
    with committed():
        known = client.post("/mijn-trainingen/", {"email": "PERSOON0@example.nl"}, follow=True)
        unknown = client.post("/mijn-trainingen/", {"email": "niemand@example.nl"}, follow=True)
    assert known.redirect_chain == unknown.redirect_chain == [("/mijn-trainingen/verstuurd/", 302)]
    assert known.content == unknown.content
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["PERSOON0@example.nl"]
    assert "24 uur" in mail.outbox[0].body


def test_sign_in_link_single_use_and_listing(
    client, make_training, make_session, person_factory, committed
):
    old = make_session(make_training("Basis"), days=-30)
    new = make_session(make_training("Verdieping"), days=20)
    (past_reg,) = register_many(old, person_factory, 1)
    (future_reg,) = register_many(new, person_factory, 1, now=timezone.now())
    services.mark_attendance(session_id=old.pk, attendance="present", now=after(old))
    with committed():
        client.post("/mijn-trainingen/", {"email": "persoon0@example.nl"})
    url = link_in(mail.outbox[0], "http")
    token = url.rstrip("/").rsplit("/", 1)[1]
    assert SignInToken.objects.get().token_hash == services.hash_token(token)
    assert not SignInToken.objects.filter(token_hash=token).exists()  # only the hash is stored

    # a mail scanner fetching the link does not use it up
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == "/mijn-trainingen/overzicht/"
    html = client.get("/mijn-trainingen/overzicht/").content.decode()
    assert html.index("Verdieping") < html.index("Basis")  # coming up, then taken place
    assert f"/trainingen/aanmelding/{future_reg.token}/" in html
    assert f"/trainingen/aanmelding/{past_reg.token}/bewijs-van-deelname/" in html
    assert f"/trainingen/aanmelding/{past_reg.token}/evaluatie/" in html

    other = client.__class__()
    assert other.post(url).status_code == 410  # used
    assert other.get(url).status_code == 410
    assert other.get("/mijn-trainingen/overzicht/").status_code == 302

    client.post("/mijn-trainingen/uitloggen/")
    assert client.get("/mijn-trainingen/overzicht/").status_code == 302


def test_sign_in_link_expires_after_24_hours(client, past_session, person_factory, committed):
    register_many(past_session, person_factory, 1)
    with committed():
        client.post("/mijn-trainingen/", {"email": "persoon0@example.nl"})
    url = link_in(mail.outbox[-1], "http")
    SignInToken.objects.update(
        created_at=timezone.now() - dt.timedelta(hours=25),
        expires_at=timezone.now() - dt.timedelta(hours=1),
    )
    response = client.get(url)
    assert response.status_code == 410
    assert "werkt niet meer" in response.content.decode()
    assert client.post(url).status_code == 410
    assert services.consume_sign_in(token="onzin", now=timezone.now()) is None


def test_signed_in_session_ends_after_an_hour(client, past_session, person_factory, committed):
    register_many(past_session, person_factory, 1)
    with committed():
        client.post("/mijn-trainingen/", {"email": "persoon0@example.nl"})
    client.post(link_in(mail.outbox[-1], "http"))
    assert client.get("/mijn-trainingen/overzicht/").status_code == 200
    session = client.session
    session["learning_my_until"] = timezone.now().timestamp() - 1
    session.save()
    response = client.get("/mijn-trainingen/overzicht/", follow=True)
    assert "Uw sessie is verlopen" in response.content.decode()


def test_rate_limit_per_address_and_per_client(
    client, settings, past_session, person_factory, committed
):
    register_many(past_session, person_factory, 1)
    with committed():
        for _ in range(3):
            response = client.post("/mijn-trainingen/", {"email": "persoon0@example.nl"})
            assert response.status_code == 302
        response = client.post("/mijn-trainingen/", {"email": "Persoon0@example.nl"})
    assert response.status_code == 429
    html = response.content.decode()
    assert "te vaak een inloglink aangevraagd" in html
    assert 'value="Persoon0@example.nl"' in html  # input kept
    assert len(mail.outbox) == 3
    # the same answer for an unknown address that is asked for too often
    for _ in range(3):
        client.post("/mijn-trainingen/", {"email": "niemand@example.nl"})
    assert client.post("/mijn-trainingen/", {"email": "niemand@example.nl"}).status_code == 429

    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "sign-in": {**settings.RATE_LIMITS["sign-in"], "client": (2, 3600)},
    }

    cache.clear()
    other = {"REMOTE_ADDR": "10.0.0.9"}
    assert client.post("/mijn-trainingen/", {"email": "a@example.nl"}, **other).status_code == 302
    assert client.post("/mijn-trainingen/", {"email": "b@example.nl"}, **other).status_code == 302
    assert client.post("/mijn-trainingen/", {"email": "c@example.nl"}, **other).status_code == 429
    assert client.post("/mijn-trainingen/", {"email": "c@example.nl"}).status_code == 302

    # behind a proxy the forwarded address counts, not the proxy's
    settings.LEARNING_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    cache.clear()
    for n in range(2):
        proxied = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": f"1.2.3.{n}"}
        for m in range(2):
            response = client.post("/mijn-trainingen/", {"email": f"{n}{m}@example.nl"}, **proxied)
            assert response.status_code == 302


def test_invalid_email_error_in_dutch(client, site_home):
    response = client.post("/mijn-trainingen/", {"email": "geen adres"})
    assert response.status_code == 200
    assert "Voer een geldig e-mailadres in" in response.content.decode()


# ----- query counts -------------------------------------------------------------------------


def _queries(client, url, status=200):
    client.get(url)  # warm per-process caches (content types, site root paths)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == status
    return len(ctx.captured_queries)


def test_query_counts_do_not_grow(
    client, coordinator, make_training, make_session, person_factory, committed
):
    """My trainings, organisation history, evaluations and the session page: same count
    with 2 and with 6 registrations/sessions."""
    counts = []
    for size in (2, 6):
        Evaluation.objects.all().delete()
        Registration.objects.all().delete()
        for n in range(size):
            session = make_session(make_training(f"Training {n}"), days=-3 - n)
            (reg,) = register_many(session, person_factory, 1)
            more = register_many(session, person_factory, 2, start=10 + 10 * n)
            services.mark_attendance(
                session_id=session.pk, attendance="present", now=after(session)
            )
            services.submit_evaluation(
                registration_id=more[0].pk,
                overall=4,
                usefulness=4,
                recommend=True,
                improvement="Prima",
                now=after(session),
            )
        organisation_id = reg.organisation_id
        coordinator.post("/mijn-trainingen/uitloggen/")
        with committed():
            coordinator.post("/mijn-trainingen/", {"email": "persoon0@example.nl"})
        coordinator.post(link_in(mail.outbox[-1], "http"))

        cache.clear()
        counts.append(
            (
                _queries(coordinator, "/mijn-trainingen/overzicht/"),
                _queries(coordinator, f"/admin/trainingen/organisaties/{organisation_id}/"),
                _queries(coordinator, "/admin/trainingen/organisaties/"),
                _queries(coordinator, "/admin/trainingen/evaluaties/"),
                _queries(coordinator, f"/admin/trainingen/evaluaties/{reg.session.page_id}/"),
                _queries(coordinator, f"/admin/trainingen/sessies/{reg.session_id}/"),
            )
        )
    assert counts[0] == counts[1], counts


def test_organisation_history_shows_who_came(coordinator, past_session, person_factory):
    a, _b = register_many(past_session, person_factory, 2)
    services.mark_attendance(
        session_id=past_session.pk,
        attendance="present",
        registration_ids=[a.pk],
        now=after(past_session),
    )
    html = coordinator.get("/admin/trainingen/organisaties/?q=haarlem").content.decode()
    assert "Gemeente Haarlem" in html
    html = coordinator.get(f"/admin/trainingen/organisaties/{a.organisation_id}/").content.decode()
    assert "Persoon0 Jansen" in html and "Aanwezig" in html and "Onbekend" in html


def test_reminder_loop_survives_a_failed_round(monkeypatch):
    """`run_scheduled --every N` (what `make run` starts) logs a failed round and goes on."""

    rounds = iter([RuntimeError("database restarting"), {"reminders": 3, "surveys": 1}])

    def run_scheduled(now):
        outcome = next(rounds, None)
        if outcome is None:
            raise KeyboardInterrupt  # end the endless loop
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    monkeypatch.setattr(services, "run_scheduled", run_scheduled)
    monkeypatch.setattr(scheduler_command.time, "sleep", lambda seconds: None)

    out = io.StringIO()
    with pytest.raises(KeyboardInterrupt):
        call_command("send_reminders", every=1, stdout=out)
    assert "3 reminder(s), 1 survey(s) queued" in out.getvalue()


def test_the_scheduler_anonymises_registrations_past_retention(
    settings, make_training, make_session, person_factory
):
    """Personal data goes on schedule: the same run as reminders (cron or `make run`)."""

    settings.LEARNING_RETENTION_DAYS = 365
    old = make_session(make_training("Lang geleden"), days=-400)
    recent = make_session(make_training("Vorige maand"), days=-30)
    (gone,) = register_many(old, person_factory, 1)
    (kept,) = register_many(recent, person_factory, 1, start=1)
    out = io.StringIO()
    call_command("send_reminders", stdout=out)
    assert "1 participant(s) anonymised" in out.getvalue()
    gone.participant.refresh_from_db()
    kept.participant.refresh_from_db()
    assert (gone.participant.email, gone.participant.last_name) == ("", "")
    assert kept.participant.email == "persoon1@example.nl"
    gone.refresh_from_db()
    assert gone.target_group_id and gone.municipality_id  # the report facts stay
