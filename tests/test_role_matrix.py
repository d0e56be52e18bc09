"""Every role against every admin area, export, report and personal-data view (issue 14).

Real non-superusers in the groups the migrations create, logged in with two-factor done and
two-factor enforced as in production. Each role's test walks the whole table and reports
every mismatch at once. A new area (dashboard, events, regional picture) is a new row in
AREAS or MENU, not a new test.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from types import SimpleNamespace
from urllib.parse import urlparse

import pytest
from django.utils import timezone

from learning import services
from learning.models import AMSTERDAM, Session, TrainingIndexPage, TrainingPage, TrainingRequest
from outreach import demo as outreach_demo
from outreach.models import CommunicationPlanPage
from tests.conftest import verified_login
from website import roles
from website.demo import upsert_child
from website.models import Municipality, TargetGroup

pytestmark = pytest.mark.django_db

C, K, T, A, P, B = (
    roles.COMMUNICATIE,
    roles.COORDINATOR,
    roles.TRAINER,
    roles.ANALIST,
    roles.PARTNER,
    roles.BEHEERDER,
)
ROLES = roles.ROLES
STAFF = frozenset({C, K, T, A, B})
NOBODY = frozenset()
PARTICIPANT_EMAIL = "fatima.elamrani@example.nl"
PARTICIPANT_NAME = "Fatima"


@dataclass(frozen=True)
class Area:
    name: str
    url: str  # formatted with the world's ids: "/admin/trainingen/sessies/{own}/"
    allowed: frozenset[str]
    method: str = "get"
    data: dict | None = None


SESSIONS = "/admin/trainingen/sessies"

AREAS = [
    # Wagtail's own areas
    Area("admin dashboard", "/admin/", STAFF),
    Area("own account", "/admin/account/", STAFF),
    Area("own two-factor settings", "/admin/tweestapsverificatie/", STAFF),
    Area("edit the home page", "/admin/pages/{home}/edit/", frozenset({C, B})),
    Area("edit the communication plan", "/admin/pages/{plan}/edit/", frozenset({C, B})),
    Area("edit a training page", "/admin/pages/{training}/edit/", frozenset({C, K, B})),
    Area(
        "add a training",
        "/admin/pages/add/learning/trainingpage/{catalogue}/",
        frozenset({C, K, B}),
    ),
    Area("documents", "/admin/documents/", frozenset({C, K, B})),
    Area("images", "/admin/images/", frozenset({C, K, B})),
    Area("collections", "/admin/collections/", frozenset({B})),
    Area("users", "/admin/users/", frozenset({B})),
    Area("groups", "/admin/groups/", frozenset({B})),
    Area("sites", "/admin/sites/", frozenset({B})),
    Area("workflows", "/admin/workflows/list/", frozenset({B})),
    Area("site settings", "/admin/settings/website/sitesettings/", frozenset({C, B})),
    Area("redirects", "/admin/redirects/", frozenset({C, B})),
    Area("promoted search results", "/admin/searchpicks/", frozenset({C, B})),
    Area("reference data", "/admin/snippets/website/municipality/", frozenset({B})),
    Area("two-factor status of staff", "/admin/tweestapsverificatie/medewerkers/", frozenset({B})),
    Area("Django's admin is gone", "/django-admin/", NOBODY),
    # personal data: requests, sessions, participants
    Area("training requests", "/admin/snippets/learning/trainingrequest/", frozenset({K, B})),
    Area(
        "a training request",
        "/admin/snippets/learning/trainingrequest/edit/{request}/",
        frozenset({K, B}),
    ),
    Area("sessions", f"{SESSIONS}/", frozenset({K, T, B})),
    Area("participants of the trainer's session", f"{SESSIONS}/{{own}}/", frozenset({K, T, B})),
    Area("participants of another session", f"{SESSIONS}/{{other}}/", frozenset({K, B})),
    Area("export participants (CSV)", f"{SESSIONS}/{{own}}/deelnemers.csv", frozenset({K, B})),
    Area("export participants (XLSX)", f"{SESSIONS}/{{own}}/deelnemers.xlsx", frozenset({K, B})),
    Area(
        "mark attendance, trainer's session",
        f"{SESSIONS}/{{own}}/aanwezigheid/",
        frozenset({K, T, B}),
        "post",
        {"scope": "all", "attendance": "present"},
    ),
    Area(
        "mark attendance, another session",
        f"{SESSIONS}/{{other}}/aanwezigheid/",
        frozenset({K, B}),
        "post",
        {"scope": "all", "attendance": "present"},
    ),
    Area(
        "import attendance, trainer's session",
        f"{SESSIONS}/{{own}}/aanwezigheid/importeren/",
        frozenset({K, T, B}),
    ),
    Area(
        "import attendance, another session",
        f"{SESSIONS}/{{other}}/aanwezigheid/importeren/",
        frozenset({K, B}),
    ),
    Area("register someone by hand", f"{SESSIONS}/{{own}}/", frozenset({K, B}), "post", {}),
    Area(
        "move a registration",
        f"{SESSIONS}/aanmelding/{{registration}}/status/",
        frozenset({K, B}),
        "post",
        {"status": "waiting"},
    ),
    Area(
        "cancel a registration",
        f"{SESSIONS}/aanmelding/{{registration}}/annuleren/",
        frozenset({K, B}),
    ),
    Area("cancel a session", f"{SESSIONS}/{{own}}/annuleren/", frozenset({K, B})),
    Area(
        "send updated invitations",
        f"{SESSIONS}/{{upcoming}}/gewijzigd/",
        frozenset({K, B}),
        "post",
        {},
    ),
    Area(
        "assign trainers",
        f"{SESSIONS}/{{own}}/trainers/",
        frozenset({K, B}),
        "post",
        {"trainers": ["{trainer}"]},
    ),
    # reports
    Area("evaluations", "/admin/trainingen/evaluaties/", frozenset({K, B})),
    Area(
        "evaluations of a training", "/admin/trainingen/evaluaties/{training}/", frozenset({K, B})
    ),
    Area("organisation history", "/admin/trainingen/organisaties/", frozenset({K, B})),
    Area(
        "an organisation's history",
        "/admin/trainingen/organisaties/{organisation}/",
        frozenset({K, B}),
    ),
    Area(
        "mark an organisation checked",
        "/admin/trainingen/organisaties/{organisation}/gecontroleerd/",
        frozenset({K, B}),
        "post",
        {"verified": "1"},
    ),
    Area("alike organisations", "/admin/trainingen/organisaties/dubbel/", frozenset({K, B})),
    Area(
        "edit an organisation",
        "/admin/trainingen/organisaties/{organisation}/bewerken/",
        frozenset({K, B}),
    ),
    Area(
        "merge an organisation",
        "/admin/trainingen/organisaties/{organisation}/samenvoegen/",
        frozenset({K, B}),
    ),
    Area("podcast downloads", "/admin/podcasts/downloads/", frozenset({C, K, A, B})),
    Area("a person's data (data-subject rights)", "/admin/persoonsgegevens/", frozenset({K, B})),
    Area(
        "look up a person's data",
        "/admin/persoonsgegevens/",
        frozenset({K, B}),
        "post",
        {"email": PARTICIPANT_EMAIL},
    ),
    Area("site history (audit trail)", "/admin/reports/site-history/", STAFF),
    # the regional picture (insights)
    Area("regional picture figures", "/admin/regionaal-beeld/", frozenset({K, A, B})),
    Area(
        "new period of the regional picture",
        "/admin/regionaal-beeld/periode/nieuw/",
        frozenset({A, B}),
    ),
    Area("local pictures", "/admin/regionaal-beeld/lokale-beelden/", frozenset({K, A, B})),
    # the coordinators' dashboard and reach report (reporting): aggregates only
    Area("reach report", "/admin/bereik/", frozenset({K, B})),
    Area("reach report export (XLSX)", "/admin/bereik/?export=xlsx", frozenset({K, B})),
    Area("year overview", "/admin/bereik/jaaroverzicht/", frozenset({K, B})),
    Area("yearly targets", "/admin/rapportage/jaardoelen/", frozenset({K, B})),
    Area("municipality coverage", "/admin/rapportage/gemeenten/", frozenset({K, B})),
    # public pages with page privacy by group
    Area("communication plan (internal)", "{plan_url}", frozenset({C, K, A, B})),
    Area("page for partners", "/partners/", frozenset({P})),
]

# Admin menu entries (and dashboard panels): shown to exactly these roles.
MENU = [
    ("Sessions", f"{SESSIONS}/", frozenset({K, T, B})),
    ("Evaluations", "/admin/trainingen/evaluaties/", frozenset({K, B})),
    ("Organisation history", "/admin/trainingen/organisaties/", frozenset({K, B})),
    ("Training requests", "/admin/snippets/learning/trainingrequest/", frozenset({K, B})),
    ("Podcast downloads", "/admin/podcasts/downloads/", frozenset({C, K, A, B})),
    ("Documents", "/admin/documents/", frozenset({C, K, B})),
    ("Images", "/admin/images/", frozenset({C, K, B})),
    ("Users", "/admin/users/", frozenset({B})),
    ("Groups", "/admin/groups/", frozenset({B})),
    ("Two-factor status", "/admin/tweestapsverificatie/medewerkers/", frozenset({B})),
    ("Personal data", "/admin/persoonsgegevens/", frozenset({K, B})),
    ("Regional picture: figures", "/admin/regionaal-beeld/", frozenset({K, A, B})),
    ("Reach report", "/admin/bereik/", frozenset({K, B})),
    ("Year overview", "/admin/bereik/jaaroverzicht/", frozenset({K, B})),
]
PANELS = [
    ("reach panel", "outreach-reach", frozenset({C, K, A, B})),
    ("targets and agenda", "reporting-dashboard", frozenset({K, B})),
]

REFUSAL_PATHS = {"/admin/", "/admin/login/", "/inloggen/"}


def outcome(response) -> str:
    """'allowed' or 'refused' as a person would see it: refused is 403/404 or being sent
    to the dashboard or a login page (Wagtail's answer to a missing permission)."""
    hops = [urlparse(url).path for url, _status in getattr(response, "redirect_chain", [])]
    if response.status_code in (301, 302, 303):
        hops.append(urlparse(response["Location"]).path)
    if response.status_code in (403, 404) or (hops and hops[-1] in REFUSAL_PATHS):
        return "refused"
    if response.status_code in (200, 301, 302, 303):
        return "allowed"
    return f"HTTP {response.status_code}"


@pytest.fixture
def world(site_home, role_user, two_factor_enforced):
    outreach_demo.seed()
    catalogue = upsert_child(
        site_home, TrainingIndexPage, "trainingen", title="Trainingen", intro="Alle trainingen"
    )
    services.give_coordinators_the_catalogue(page_id=catalogue.pk)
    training = upsert_child(
        catalogue,
        TrainingPage,
        "radicalisering-herkennen",
        title="Radicalisering herkennen",
        intro="Signalen herkennen en duiden.",
        duration_label="3 uur",
    )
    now = timezone.now()

    def session(days):
        start = timezone.localtime(now, AMSTERDAM) + dt.timedelta(days=days)
        return Session.objects.create(
            page=training,
            date=start.date(),
            start_time=dt.time(9, 30),
            end_time=dt.time(12, 30),
            capacity=10,
            location="Zijlweg 245, Haarlem",
        )

    own, other, upcoming = session(-2), session(-3), session(10)
    person = services.Person(
        first_name=PARTICIPANT_NAME,
        last_name="El Amrani",
        email=PARTICIPANT_EMAIL,
        function="Leerplichtambtenaar",
        organisation="Gemeente Zaanstad",
        target_group_id=TargetGroup.objects.first().pk,
        municipality=Municipality.objects.first(),
    )
    registration = services.register(
        session_id=own.pk, person=person, now=now - dt.timedelta(days=7)
    ).registration
    services.register(session_id=other.pk, person=person, now=now - dt.timedelta(days=7))
    request = TrainingRequest.objects.create(
        kind="in_company",
        contact_name=PARTICIPANT_NAME,
        contact_email=PARTICIPANT_EMAIL,
        wanted="Basistraining",
        preferred_period="Voorjaar",
    )
    users = {role: role_user(role) for role in ROLES}
    own.trainers.add(users[T])
    plan = CommunicationPlanPage.objects.get()
    return SimpleNamespace(
        users=users,
        ids={
            "home": site_home.pk,
            "site": site_home.get_site().pk,
            "plan": plan.pk,
            "plan_url": plan.url,
            "catalogue": catalogue.pk,
            "training": training.pk,
            "own": own.pk,
            "other": other.pk,
            "upcoming": upcoming.pk,
            "registration": registration.pk,
            "organisation": registration.organisation_id,
            "request": request.pk,
            "trainer": users[T].pk,
        },
    )


def _format(value, ids):
    if isinstance(value, list):
        return [_format(v, ids) for v in value]
    return value.format(**ids) if isinstance(value, str) else value


def _menu_urls(client) -> set[str]:
    html = client.get("/admin/").content.decode()
    found = re.search(
        r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>', html, re.S
    )
    assert found, "no admin menu on the dashboard"
    return set(re.findall(r'"url": "([^"]+)"', json.dumps(json.loads(found.group(1)))))


def _area_mismatches(client, world, role) -> list[str]:
    wrong = []
    for area in AREAS:
        url = _format(area.url, world.ids)
        data = {k: _format(v, world.ids) for k, v in (area.data or {}).items()}
        post = area.method == "post"
        response = client.post(url, data) if post else client.get(url, follow=True)
        expected = "allowed" if role in area.allowed else "refused"
        got = outcome(response)
        if got != expected:
            wrong.append(f"{area.name} ({area.method.upper()} {url}): {got}, expected {expected}")
        if got == "refused" and PARTICIPANT_EMAIL in response.content.decode(errors="replace"):
            wrong.append(f"{area.name}: refused, but the page shows personal data")
    return wrong


def _menu_mismatches(client, role) -> list[str]:
    if role == P:  # no admin at all: the dashboard sends partners to the login page
        return [] if outcome(client.get("/admin/")) == "refused" else ["partner reaches the admin"]
    urls = _menu_urls(client)
    dashboard = client.get("/admin/").content.decode()
    wrong = [
        f"menu {label}: {'shown' if url in urls else 'absent'}"
        for label, url, allowed in MENU
        if (url in urls) != (role in allowed)
    ]
    wrong += [
        f"dashboard {label}: {'shown' if marker in dashboard else 'absent'}"
        for label, marker, allowed in PANELS
        if (marker in dashboard) != (role in allowed)
    ]
    return wrong


@pytest.mark.parametrize("role", ROLES)
def test_role_reaches_exactly_its_areas_and_menu(client, world, role):
    verified_login(client, world.users[role])
    wrong = _menu_mismatches(client, role) + _area_mismatches(client, world, role)
    assert not wrong, f"{role}:\n" + "\n".join(wrong)
