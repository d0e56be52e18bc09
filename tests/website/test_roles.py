"""The six roles as the migrations make them, and how an administrator uses them."""

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.urls import reverse
from wagtail import hooks
from wagtail.models import GroupPagePermission

from learning.models import TrainingIndexPage
from tests.conftest import verified_login
from website import roles

pytestmark = pytest.mark.django_db


def perms(group_name: str) -> set[str]:
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Group.objects.get(name=group_name).permissions.select_related("content_type")
    }


def registered_permissions() -> set[str]:
    """What Wagtail's group editor offers (the register_permissions hooks; viewsets such as
    Users register theirs when the admin's URLs load)."""
    reverse("wagtailadmin_home")
    found = Permission.objects.none()
    for fn in hooks.get_hooks("register_permissions"):
        found = found | fn()
    return {
        f"{p.content_type.app_label}.{p.codename}" for p in found.select_related("content_type")
    }


def test_migrations_create_the_six_groups_and_drop_wagtails_defaults():
    names = set(Group.objects.values_list("name", flat=True))
    assert set(roles.ROLES) <= names
    # Wagtail's "Editors" and "Moderators" had page rights over the whole site
    assert not names & {"Editors", "Moderators"}


def test_each_role_holds_only_what_it_needs():
    communicatie, coordinator, trainer = (
        perms(roles.COMMUNICATIE),
        perms(roles.COORDINATOR),
        perms(roles.TRAINER),
    )
    assert perms(roles.PARTNER) == set()  # partners sign in for pages, never the admin
    assert trainer == {"wagtailadmin.access_admin", "learning.lead_sessions"}
    assert not {p for p in communicatie if p.startswith(("learning.", "auth."))}
    assert "podcasts.view_downloadcount" in communicatie
    assert {
        "learning.view_participant_data",
        "learning.export_registrations",
        "learning.mark_attendance",
        "learning.change_session",
        "learning.change_trainingrequest",
    } <= coordinator
    assert not {p for p in coordinator if p.startswith(("auth.", "wagtailcore."))}
    assert {p for p in coordinator if p.startswith("website.")} == {"website.manage_personal_data"}
    assert not {p for p in perms(roles.ANALIST) if p.startswith("learning.")}
    assert {"auth.add_user", "auth.change_group"} <= perms(roles.BEHEERDER)


def test_page_rights_follow_the_tree():
    def pages(group_name):
        return {
            (gpp.page.depth, gpp.permission.codename)
            for gpp in GroupPagePermission.objects.filter(group__name=group_name).select_related(
                "page", "permission"
            )
        }

    # Communicatie edits and publishes the whole site, but deleting a branch stays with the
    # Beheerder; coordinators get the training catalogue when it is made (see below).
    assert (1, "publish_page") in pages(roles.COMMUNICATIE)
    assert (1, "bulk_delete_page") not in pages(roles.COMMUNICATIE)
    assert (1, "bulk_delete_page") in pages(roles.BEHEERDER)
    assert not {p for p in pages(roles.COORDINATOR) if p[0] == 1}
    assert not pages(roles.TRAINER) | pages(roles.ANALIST) | pages(roles.PARTNER)


def test_every_permission_the_code_checks_can_be_granted_in_the_group_editor():
    registered = registered_permissions()
    checked = {
        "learning.view_registration",
        "learning.add_registration",
        "learning.change_registration",
        "learning.view_participant_data",
        "learning.export_registrations",
        "learning.mark_attendance",
        "learning.lead_sessions",
        "learning.change_session",
        "learning.view_evaluation",
        "learning.view_organisation",
        "learning.change_organisation",
        "podcasts.view_downloadcount",
        "outreach.view_reachcount",
        "auth.change_user",
        "website.manage_personal_data",
    }
    assert checked <= registered
    # the Beheerder holds everything the group editor can grant
    assert registered <= perms(roles.BEHEERDER)
    # and every other role's permissions are visible there (none granted behind the editor's
    # back; the Beheerder holds each app's permissions, also those without a screen)
    for name in set(roles.ROLES) - {roles.BEHEERDER}:
        assert perms(name) <= registered, name


def test_a_new_training_catalogue_belongs_to_the_coordinators(site_home, client, role_user):
    beheerder = role_user(roles.BEHEERDER)
    verified_login(client, beheerder)
    response = client.post(
        f"/admin/pages/add/learning/trainingindexpage/{site_home.pk}/",
        {
            "title": "Webinars",
            "slug": "webinars-2",
            "intro": "Alle webinars",
            "action-publish": "1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    catalogue = TrainingIndexPage.objects.get(slug="webinars-2")
    codenames = set(
        GroupPagePermission.objects.filter(
            group__name=roles.COORDINATOR, page=catalogue
        ).values_list("permission__codename", flat=True)
    )
    assert codenames == set(roles.EDITOR_PAGE_PERMISSIONS)


def test_the_group_editor_names_the_custom_permissions_in_dutch(client, role_user):
    verified_login(client, role_user(roles.BEHEERDER))
    group = Group.objects.get(name=roles.TRAINER)
    html = client.get(f"/admin/groups/edit/{group.pk}/").content.decode()
    assert "Kan deelnemerslijsten exporteren" in html
    assert "Can export participant lists" not in html


def test_an_administrator_makes_a_coordinator_and_a_trainer_in_the_admin(client, role_user):
    """The README's recipe: Settings, Users, Add a user, tick the group."""
    verified_login(client, role_user(roles.BEHEERDER))
    for username, group_name in (("j.devries", roles.COORDINATOR), ("a.bakker", roles.TRAINER)):
        group = Group.objects.get(name=group_name)
        response = client.post(
            "/admin/users/new/",
            {
                "username": username,
                "email": f"{username}@example.nl",
                "first_name": "Jan",
                "last_name": "de Vries",
                "password1": "Zes-lange-woorden-als-wachtwoord",
                "password2": "Zes-lange-woorden-als-wachtwoord",
                "is_active": "on",
                "groups": [group.pk],
            },
        )
        assert response.status_code == 302, response.content.decode()[:3000]
        assert Group.objects.get(name=group_name).user_set.filter(username=username).exists()


def test_a_weak_password_is_refused_when_an_administrator_makes_an_account(client, role_user):
    verified_login(client, role_user(roles.BEHEERDER))
    response = client.post(
        "/admin/users/new/",
        {
            "username": "zwak",
            "email": "zwak@example.nl",
            "first_name": "Zwak",
            "last_name": "Wachtwoord",
            "password1": "welkom123",
            "password2": "welkom123",
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Dit wachtwoord is te kort: gebruik minstens 12 tekens." in html
    assert "too short" not in html
    assert not User.objects.filter(username="zwak").exists()
