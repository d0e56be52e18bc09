"""Saving a training in the page editor never cancels a session (issue 11 item 9): the
status is read-only there, and coordinators cancel through "Sessie annuleren" (asks
first, e-mails everyone registered). Real users: editors in the group Communicatie and a
coordinator (who edits the training catalogue and manages registrations), no superusers."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from learning import services
from learning.models import Registration, Session

pytestmark = pytest.mark.django_db


def _login(user, group):
    """``user`` also in one of the role groups (website/roles.py)."""
    user.groups.add(Group.objects.get(name=group))
    client = Client()
    client.force_login(user)
    return client


def _new_user(username):
    return get_user_model().objects.create_user(username, f"{username}@example.nl", "x")


@pytest.fixture
def editor(site_home):
    return _login(_new_user("redacteur"), "Communicatie")


@pytest.fixture
def moderator(site_home):
    return _login(_new_user("eindredacteur"), "Communicatie")


@pytest.fixture
def coordinator(site_home, coordinator_user, catalogue):
    """The shared coordinator (tests/conftest.py), who also edits and publishes trainings
    (the group Coördinator has page rights on every training catalogue)."""
    services.give_coordinators_the_catalogue(page_id=catalogue.pk)
    client = Client()
    client.force_login(coordinator_user)
    return client


@pytest.fixture
def booked(make_training, make_session, person_factory):
    page = make_training()
    session = make_session(page)
    registration = services.register(
        session_id=session.pk, person=person_factory(), now=timezone.now()
    ).registration
    page.save_revision().publish()
    return page, session, registration


def _edit_form(page, session, *, status):
    """The page editor's form as a browser sends it, with the session's status set."""
    return nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "intro": page.intro,
            "objectives": rich_text("<p>Signalen</p>"),
            "level": page.level,
            "kind": page.kind,
            "format": page.format,
            "duration_label": page.duration_label,
            "dayparts": str(page.dayparts),
            "target_groups": [],
            "tags": "",
            "trainers": "",
            "price": "",
            "practical_info": rich_text(""),
            "sessions": inline_formset(
                [
                    {
                        "id": str(session.pk),
                        "date": session.date.isoformat(),
                        "start_time": "09:30",
                        "end_time": "12:30",
                        "more_dayparts": streamfield([]),
                        "online": "",
                        "join_url": "",
                        "location": "Zijlweg 245, Haarlem",
                        "capacity": str(session.capacity),
                        "deadline": "",
                        "region": "",
                        "status": status,  # what a forged or old form could still send
                    }
                ],
                initial=1,
            ),
            "action-publish": "publish",
        }
    )


def test_an_editor_cannot_cancel_a_session_by_saving_the_training(
    editor, moderator, booked, committed
):
    page, session, registration = booked
    edit_url = f"/admin/pages/{page.pk}/edit/"
    html = editor.get(edit_url).content.decode()
    assert "Gepland" in html
    assert f"/admin/trainingen/sessies/{session.pk}/annuleren/" not in html
    assert "Alleen coördinatoren kunnen een sessie annuleren" in html

    with committed():
        # one editor publishes the status change ...
        response = editor.post(edit_url, _edit_form(page, session, status="cancelled"))
        assert response.status_code == 302, response.content.decode()[:2000]
        # ... and so does another.
        response = moderator.post(edit_url, _edit_form(page, session, status="cancelled"))
        assert response.status_code == 302, response.content.decode()[:2000]
    page.refresh_from_db()
    assert page.live and not page.has_unpublished_changes  # the publish went through
    assert Session.objects.get(pk=session.pk).status == "planned"
    assert Registration.objects.get(pk=registration.pk).status == "confirmed"
    assert mail.outbox == []
    # and the confirmation itself refuses them (Wagtail sends them back to the dashboard)
    refused = editor.get(f"/admin/trainingen/sessies/{session.pk}/annuleren/")
    assert refused.status_code == 302 and refused.url == "/admin/"


def test_a_coordinator_cancels_through_the_confirmation_not_the_page_editor(
    coordinator, booked, committed
):
    page, session, registration = booked
    edit_url = f"/admin/pages/{page.pk}/edit/"
    with committed():
        response = coordinator.post(edit_url, _edit_form(page, session, status="cancelled"))
    assert response.status_code == 302
    assert Session.objects.get(pk=session.pk).status == "planned" and mail.outbox == []

    html = coordinator.get(edit_url).content.decode()
    cancel_url = f"/admin/trainingen/sessies/{session.pk}/annuleren/"
    assert f'href="{cancel_url}"' in html  # the editor links to the confirmation
    question = coordinator.get(cancel_url).content.decode()
    assert "1 persoon (bevestigd of op de wachtlijst) krijgt een e-mail" in question
    with committed():
        coordinator.post(cancel_url)
    assert Session.objects.get(pk=session.pk).status == "cancelled"
    assert Registration.objects.get(pk=registration.pk).status == "cancelled"
    assert [m.to for m in mail.outbox] == [["persoon0@example.nl"]]

    # Publishing the training again (even saying "planned") does not undo it.
    mail.outbox.clear()
    with committed():
        coordinator.post(edit_url, _edit_form(page, session, status="planned"))
    assert Session.objects.get(pk=session.pk).status == "cancelled"
    html = coordinator.get(edit_url).content.decode()
    assert "Geannuleerd" in html and f'href="{cancel_url}"' not in html
    assert mail.outbox == []


def test_no_revision_changes_a_session_status(booked, committed):
    """Revisions carry the status field too: publishing one (newer, older, or a draft
    from before this rule) never changes it; only the services do."""
    page, session, registration = booked
    old_revision = page.save_revision()
    page = page.specific_class.objects.get(pk=page.pk)
    editable = page.sessions.get(pk=session.pk)
    editable.status = "cancelled"
    page.sessions = [editable]
    with committed():
        page.save_revision().publish()
    assert Session.objects.get(pk=session.pk).status == "planned"
    assert Registration.objects.get(pk=registration.pk).status == "confirmed"
    assert mail.outbox == []

    with committed():
        services.cancel_session(session_id=session.pk, now=timezone.now())
    sequence = Session.objects.get(pk=session.pk).sequence
    old_revision.publish()  # an editor publishes the older revision
    session.refresh_from_db()
    assert session.status == "cancelled" and session.sequence == sequence


def test_a_session_people_registered_for_is_not_deleted_from_the_page_editor(
    coordinator, booked, make_session, committed
):
    """Deleting it failed on publish (a 500: registrations protect their session)."""
    page, session, registration = booked
    edit_url = f"/admin/pages/{page.pk}/edit/"
    data = _edit_form(page, session, status="planned")
    data["sessions-0-DELETE"] = "1"
    with committed():
        response = coordinator.post(edit_url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Een sessie waarvoor mensen zich hebben aangemeld kunt u niet verwijderen" in html
    assert Session.objects.filter(pk=session.pk).exists()
    assert Registration.objects.get(pk=registration.pk).status == "confirmed"
    assert mail.outbox == []

    empty = make_session(page, days=20)  # nobody registered: deleting is fine
    response = coordinator.post(
        edit_url, _edit_form(page, empty, status="planned") | {"sessions-0-DELETE": "1"}
    )
    assert response.status_code == 302
    assert not Session.objects.filter(pk=empty.pk).exists()
    assert Session.objects.filter(pk=session.pk).exists()
