"""Trainers: linked to sessions, they see and mark attendance and read evaluations of their
own sessions only."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from learning import access, services
from learning.models import Attendance, Evaluation, Registration
from website import roles

pytestmark = pytest.mark.django_db


@pytest.fixture
def sessions(make_training, make_session, person_factory, role_user):
    training = make_training()
    own, other = make_session(training, days=-1), make_session(training, days=-2)
    before = timezone.now() - dt.timedelta(days=7)
    for n, session in enumerate((own, other)):
        services.register(session_id=session.pk, person=person_factory(n), now=before)
    trainer = role_user(roles.TRAINER)
    own.trainers.add(trainer)
    return own, other, trainer


def test_trainer_lists_only_the_sessions_they_lead(client, sessions):
    own, other, trainer = sessions
    client.force_login(trainer)
    html = client.get("/admin/trainingen/sessies/").content.decode()
    assert f"/admin/trainingen/sessies/{own.pk}/" in html
    assert f"/admin/trainingen/sessies/{other.pk}/" not in html


def test_trainer_sees_names_but_not_contact_details_and_no_coordinator_actions(client, sessions):
    own, _other, trainer = sessions
    client.force_login(trainer)
    html = client.get(f"/admin/trainingen/sessies/{own.pk}/").content.decode()
    assert "Persoon0 Jansen" in html
    assert "persoon0@example.nl" not in html
    for hidden in ("deelnemers.csv", "annuleren/", "/status/", "gewijzigd/", "add-first_name"):
        assert hidden not in html, hidden
    assert "aanwezigheid/" in html  # marking attendance is theirs


def test_trainer_marks_attendance_of_own_session_only(client, sessions):
    own, other, trainer = sessions
    client.force_login(trainer)
    client.post(
        f"/admin/trainingen/sessies/{own.pk}/aanwezigheid/",
        {"scope": "all", "attendance": "present"},
    )
    response = client.post(
        f"/admin/trainingen/sessies/{other.pk}/aanwezigheid/",
        {"scope": "all", "attendance": "present"},
    )
    assert response["Location"] == "/admin/"  # Wagtail's "no permission"
    marks = dict(Registration.objects.values_list("session_id", "attendance"))
    assert marks == {own.pk: Attendance.PRESENT, other.pk: Attendance.UNKNOWN}


def test_trainer_reads_the_evaluation_of_own_session(client, sessions):
    own, other, trainer = sessions
    for registration in Registration.objects.all():
        Evaluation.objects.create(
            registration=registration,
            overall=4,
            usefulness=5,
            recommend=True,
            improvement=f"Meer casuïstiek bij sessie {registration.session_id}",
            created_at=timezone.now(),
        )
    client.force_login(trainer)
    html = client.get(f"/admin/trainingen/sessies/{own.pk}/").content.decode()
    assert f"Meer casuïstiek bij sessie {own.pk}" in html
    assert client.get(f"/admin/trainingen/sessies/{other.pk}/")["Location"] == "/admin/"
    # the overview across all trainings is the coordinator's
    assert client.get("/admin/trainingen/evaluaties/")["Location"] == "/admin/"


def test_a_former_trainer_loses_access_with_the_role(client, sessions):
    own, _other, trainer = sessions
    trainer.groups.clear()
    client.force_login(trainer)
    assert client.get(f"/admin/trainingen/sessies/{own.pk}/")["Location"].startswith("/admin/")
    assert not access.policy.user_has_permission_for_instance(trainer, "view", own)


def test_coordinator_assigns_trainers_from_the_trainer_accounts(client, sessions, role_user):
    _own, other, trainer = sessions
    coordinator = role_user(roles.COORDINATOR)
    client.force_login(coordinator)
    html = client.get(f"/admin/trainingen/sessies/{other.pk}/").content.decode()
    assert f'name="trainers" value="{trainer.pk}"' in html
    assert f'name="trainers" value="{coordinator.pk}"' not in html  # not a trainer account
    client.post(f"/admin/trainingen/sessies/{other.pk}/trainers/", {"trainers": [trainer.pk]})
    assert list(other.trainers.all()) == [trainer]
    # someone without the role cannot be made a trainer, even with a forged form
    response = client.post(
        f"/admin/trainingen/sessies/{other.pk}/trainers/", {"trainers": [coordinator.pk]}
    )
    assert response.status_code == 302
    assert list(other.trainers.all()) == [trainer]


def test_the_service_refuses_accounts_without_the_role(sessions, role_user):
    own, _other, _trainer = sessions
    analist = role_user(roles.ANALIST)
    with pytest.raises(services.RegistrationError):
        services.set_session_trainers(session_id=own.pk, user_ids=[analist.pk])


def test_session_detail_query_count_does_not_grow_with_participants(
    client, sessions, person_factory
):
    """A trainer's view of a session: a fixed number of queries, whatever its size."""
    own, _other, trainer = sessions
    client.force_login(trainer)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/admin/trainingen/sessies/{own.pk}/").status_code == 200
        return len(ctx.captured_queries)

    small = count()
    before = timezone.now() - dt.timedelta(days=7)
    own.capacity = 30
    own.save()
    for n in range(10, 25):
        services.register(session_id=own.pk, person=person_factory(n), now=before)
    assert count() == small


def test_the_policy_names_who_may_act(sessions, role_user):
    _own, _other, trainer = sessions
    coordinator = role_user(roles.COORDINATOR)
    role_user(roles.COMMUNICATIE)
    assert set(access.policy.users_with_permission("attendance")) == {trainer, coordinator}
    assert set(access.policy.users_with_permission("export")) == {coordinator}
