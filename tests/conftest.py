"""Shared fixtures: site content, a real browser with axe-core, PostgreSQL gating.

Tests marked ``postgres`` need DATABASE_URL pointing at PostgreSQL; tests marked
``browser`` need Debian's chromium. Locally they skip with the reason; with
CI=true they fail instead, so CI never passes without running them.
"""

import os
import shutil
from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from playwright.sync_api import sync_playwright
from wagtail.models import Locale

from website import demo, reference, roles, stamps
from website.roles import run_role_migrations
from website.settings import base

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API + live_server

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE_JS = Path(__file__).parent / "tooling" / "axe.min.js"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

# Property-based tests (hypothesis): bounded, no deadline (a shared CI machine is slow),
# nothing written to .hypothesis/. In CI the run is derandomised, so it is reproducible.
_FUZZ = {
    "deadline": None,
    "database": None,
    "suppress_health_check": [
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
}
hypothesis_settings.register_profile("ci", derandomize=True, max_examples=60, **_FUZZ)
hypothesis_settings.register_profile("dev", max_examples=60, **_FUZZ)
hypothesis_settings.register_profile("long", max_examples=2000, **_FUZZ)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if IN_CI else "dev"))


def _missing(reason: str):
    if IN_CI:
        pytest.fail(f"Required in CI: {reason}", pytrace=False)
    pytest.skip(reason)


def pytest_runtest_setup(item):
    if item.get_closest_marker("postgres") and connection.vendor != "postgresql":
        _missing("needs PostgreSQL: set DATABASE_URL=postgres://... (see README)")
    if item.get_closest_marker("browser") and not (
        shutil.which(CHROMIUM) or Path(CHROMIUM).exists()
    ):
        _missing(f"needs chromium at {CHROMIUM} (apt-get install chromium)")


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (the database is new for each test too)."""

    cache.clear()
    reference.forget()


@pytest.fixture(autouse=True)
def _content_stamp_moves_at_once(request, monkeypatch):
    """Tests without ``transaction=True`` run in a transaction that never commits, so
    after-commit work never runs on its own. The content stamp moves at once instead, as
    the commit would have moved it, so cached pages and routes see what the test changed.
    tests/website/test_stamps.py checks the after-commit behaviour with real commits."""
    marker = request.node.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):
        return
    monkeypatch.setattr(stamps, "bump", stamps.bump_now)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def on_each_database(request):
    """The test runs in both runs of ``make test``: on SQLite, and marked ``postgres``
    on PostgreSQL (each run deselects the other's)."""
    return request.param


@pytest.fixture
def reference_data(db):
    """Regions, municipalities and target groups (recreated after flushes)."""

    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    import_module("website.migrations.0002_reference_data").create(apps, None)


COORDINATOR_PASSWORD = "geheim-wachtwoord"


@pytest.fixture
def coordinator_user(staff_roles):
    """A real coordinator: no superuser, a member of the group Coördinator with exactly the
    permissions the roles migrations give it (website/roles.py)."""
    user = get_user_model().objects.create_user("coord", "coord@example.nl", COORDINATOR_PASSWORD)
    user.groups.add(Group.objects.get(name=roles.COORDINATOR))
    return user


@pytest.fixture
def coordinator(client, coordinator_user):
    """The test client, signed in as the coordinator."""
    client.force_login(coordinator_user)
    return client


@pytest.fixture
def staff_roles(db):
    """The six groups with their permissions, as the `*_roles` data migrations of every
    app make them (recreated after flushes, which empty the groups)."""
    run_role_migrations()


@pytest.fixture
def role_user(staff_roles, django_user_model):
    """A real, non-superuser account in one of the role groups: ``role_user("Trainer")``."""

    def make(role: str, username: str | None = None, **fields):
        user = django_user_model.objects.create_user(
            username or role.lower().replace("ö", "o"),
            email=f"{(username or role).lower().replace('ö', 'o')}@example.nl",
            password="Een-lang-en-sterk-wachtwoord-1",
            **fields,
        )
        user.groups.add(Group.objects.get(name=role))
        return user

    return make


@pytest.fixture
def two_factor_enforced(settings):
    """Production's rule: Beheerder, Coördinator and superusers need two-factor."""
    settings.TWO_FACTOR_REQUIRED_GROUPS = base.TWO_FACTOR_REQUIRED_GROUPS
    settings.TWO_FACTOR_REQUIRED_FOR_SUPERUSERS = base.TWO_FACTOR_REQUIRED_FOR_SUPERUSERS


def verified_login(client, user):
    """Log ``client`` in as ``user`` with two-factor done (an authenticator app set up and
    its code entered), as after a real login."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def site_home(db, reference_data, staff_roles):
    """The demo home page, statements and site settings."""

    return demo.seed()


# ----- browser -----------------------------------------------------------------

BROWSER_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def _playwright_browser():
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        yield browser
        browser.close()


CSP_MARKERS = ("Content Security Policy", "Content-Security-Policy")


def watch_csp(tab) -> list[str]:
    """Collect what the page's Content-Security-Policy blocks (Chromium reports each
    refusal on the console); the ``page`` fixture fails the test when there is any."""
    blocked: list[str] = []
    tab.on(
        "console",
        lambda message: (
            blocked.append(message.text)
            if any(marker in message.text for marker in CSP_MARKERS)
            else None
        ),
    )
    return blocked


@pytest.fixture
def page(_playwright_browser, live_server):
    """A fresh browser tab (Dutch locale) whose relative URLs hit the live server. The
    site's Content-Security-Policy applies (no bypass): anything it blocks fails the test."""
    context = _playwright_browser.new_context(base_url=live_server.url, locale="nl-NL")
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    blocked = watch_csp(tab)
    yield tab
    context.close()
    assert not blocked, "Blocked by the Content-Security-Policy:\n" + "\n".join(blocked)


def browser_sign_in(tab, live_server, user, *, two_factor=False):
    """Sign ``user`` in in the browser by handing it a session cookie (faster than the
    login form, which tests/website/test_browser_accounts.py covers); ``two_factor`` as
    after the code was entered, for roles that require it."""
    client = Client()
    if two_factor:
        verified_login(client, user)
    else:
        client.force_login(user)
    tab.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def publish_new_page(tab):
    """Publish the page being created in Wagtail's editor, once its autosave is done.

    Wagtail autosaves a new page as a draft half a second after the last change and turns
    the form into that draft's edit form. A publish sent while the autosave is still on
    its way creates the page a second time (Wagtail answers the slug clash with a 500), so
    the editor publishes once the draft is saved, as a person does who sees the autosave
    indicator."""
    # The editor looks for changes every 500 ms; give it one look after the last change,
    # then wait until no change is unsaved and no autosave is under way.
    tab.wait_for_timeout(700)
    tab.wait_for_function(
        """() => /\\/admin\\/pages\\/\\d+\\/edit\\//.test(location.pathname)
            && document.querySelector('form[data-w-unsaved-has-edits-value]')
                ?.dataset.wUnsavedHasEditsValue !== 'true'
            && document.querySelector('#w-autosave-indicator')
                ?.dataset.wAutosaveStateValue === 'saved'"""
    )
    tab.locator("footer .w-dropdown__toggle").click()  # the save button's other actions
    tab.get_by_role("button", name="Publiceren").click()


def assert_accessible(tab, *, context_selector=None):
    """Run axe-core (WCAG 2.x A/AA rules) in the page: zero violations. Evaluated through
    the DevTools protocol, which the page's CSP does not govern (a script tag would be
    refused by ``script-src 'self'``)."""
    # Axe reads the final colours, not a frame of an animation: Wagtail's admin messages
    # fade in after the page loaded, and a half-transparent frame fails colour contrast.
    tab.wait_for_function(
        "() => [...document.querySelectorAll('.messages > ul')]"
        ".every(e => getComputedStyle(e).opacity === '1')"
    )
    # Every running animation jumps to its end (waiting for them took 25 s on each admin
    # page: the sidebar's "new" badge pings five times five seconds).
    tab.evaluate(
        """() => document.getAnimations()
            .filter(a => Number.isFinite(a.effect?.getComputedTiming().endTime))
            .forEach(a => a.finish())"""
    )
    tab.evaluate(AXE_JS.read_text(encoding="utf-8"))
    result = tab.evaluate(
        """async (selector) => await axe.run(selector || document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}
        })""",
        context_selector,
    )
    violations = [
        f"{v['id']} ({v['impact']}): {v['help']} -> "
        + "; ".join(n["target"][0] if n["target"] else "?" for n in v["nodes"][:5])
        for v in result["violations"]
    ]
    assert not violations, f"axe-core violations on {tab.url}:\n" + "\n".join(violations)
