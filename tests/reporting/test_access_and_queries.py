"""Who sees the dashboard and the report, and what they cost in queries at two sizes."""

import datetime as dt
from importlib import import_module

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from outreach import demo as outreach_demo
from outreach.models import InfoSheetPage, ReachCount
from reporting import demo as reporting_demo
from reporting.wagtail_hooks import DashboardPanel
from tests.reporting.conftest import ABSENT, PRESENT

pytestmark = pytest.mark.django_db

PAGES = [
    "/admin/bereik/",
    "/admin/bereik/?breakdown=municipality",
    "/admin/bereik/?breakdown=product",
    "/admin/bereik/?breakdown=target_group&export=xlsx",
    "/admin/bereik/?breakdown=municipality&export=csv",
    "/admin/bereik/jaaroverzicht/",
    "/admin/rapportage/jaardoelen/",
    "/admin/rapportage/gemeenten/",
]


def test_coordinators_see_the_dashboard_report_and_overview(coordinator, world):
    home = coordinator.get("/admin/").content.decode()
    assert 'id="reporting-dashboard' in home
    assert "Rapportage" in home and "/admin/bereik/" in home
    for url in PAGES:
        assert coordinator.get(url).status_code == 200, url


def test_the_roles_migration_gives_coordinators_and_administrators_the_reports(db):
    Group.objects.filter(name__in=["Coördinator", "Beheerder"]).delete()
    import_module("reporting.migrations.0002_roles").forwards(apps, None)
    for name in ("Coördinator", "Beheerder"):
        granted = set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))
        assert {"view_reports", "change_targetyear", "change_municipalityyear"} <= granted


def test_other_staff_are_refused_everywhere(client, editor_user, world):
    client.force_login(editor_user)
    home = client.get("/admin/").content.decode()
    assert client.get("/admin/").status_code == 200  # they do have the admin
    assert "reporting-dashboard" not in home and "/admin/bereik/" not in home
    for url in PAGES:
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert "Unieke deelnemers" not in response.content.decode()
        if response.status_code == 302:
            assert response.url.rstrip("/").endswith("/admin"), url  # back home, with a message


def test_visitors_are_sent_to_the_login(client, world):
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response.url, url


def grow(world, *, sessions: int, people: int, offset: int = 0):
    """``sessions`` past sessions this year with ``people`` registrations each, spread over
    target groups, municipalities, organisations and attendance; and upcoming ones with a
    waiting list."""
    now = timezone.now()
    page = world.training(f"Groei {offset}", groups=["gemeenten", "zorg"])
    groups = list(world.groups)
    municipalities = list(world.municipalities)
    year_start = dt.datetime(timezone.localdate().year, 1, 1, 9, tzinfo=dt.UTC)
    span = max((now - year_start).days - 2, 1)
    for n in range(sessions):
        start = year_start + dt.timedelta(days=(n * 7) % span, hours=n % 5)
        session = world.session(page, start, hours=1, capacity=people + 2)
        for i in range(people):
            k = offset + n * people + i
            world.register(
                session,
                f"mens{k % (people * sessions // 2 + 1)}@example.nl",
                group=groups[k % len(groups)],
                municipality=municipalities[k % len(municipalities)],
                organisation=f"Organisatie {k % 7}",
                attendance=(PRESENT, ABSENT, None)[k % 3],
            )
        upcoming = world.session(page, now + dt.timedelta(days=10 + n), hours=1, capacity=1)
        for i in range(2):
            world.register(upcoming, f"later{offset}-{n}-{i}@example.nl", group=groups[0])


def reach(pages, days):
    rows = []
    for page in pages:
        for day in range(days):
            when = timezone.localdate() - dt.timedelta(days=day)
            rows.append(ReachCount(kind="view", object_id=page.pk, day=when, count=day + 1))
            if getattr(page, "pdf_id", None):
                rows.append(ReachCount(kind="download", object_id=page.pdf_id, day=when, count=1))
    ReachCount.objects.bulk_create(rows, ignore_conflicts=True)


def measure(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200, url
    return len(ctx)


def panel_queries() -> int:
    with CaptureQueriesContext(connection) as ctx:
        html = DashboardPanel().render_html({})
    assert "reporting-dashboard" in html
    return len(ctx)


def test_a_constant_number_of_queries_at_two_sizes(coordinator, world):
    outreach_demo.seed()
    reporting_demo.seed()
    grow(world, sessions=2, people=3)
    reach(InfoSheetPage.objects.all()[:2], days=3)
    coordinator.get("/admin/")  # warm the per-process caches (content types, site)
    urls = [url for url in PAGES if "/rapportage/" not in url]
    small = {url: measure(coordinator, url) for url in urls}
    small_panel = panel_queries()
    small_home = measure(coordinator, "/admin/")

    grow(world, sessions=12, people=15, offset=1000)
    outreach_demo.seed(scale=2)
    reach(InfoSheetPage.objects.all(), days=40)
    large = {url: measure(coordinator, url) for url in urls}
    large_panel = panel_queries()
    large_home = measure(coordinator, "/admin/")

    assert large == small
    assert large_home == small_home  # the whole admin home, Wagtail's own panels included
    assert large_panel == small_panel <= 20
    # Constant in the data; the bound grows by a query or two with each app that plugs a
    # reach source in (subscriptions: e-mails and clicks) and with the roles' checks.
    assert max(large.values()) <= 24, large


# The tables that grow to 100,000 registrations and 1,000,000 daily counts, and what each
# query must narrow them by (an index's leading columns) so it reads only what it counts.
HEAVY_TABLES = {
    "learning_registration": "(session_id=?",
    "outreach_reachcount": "AND day>? AND day<?)",
}


def query_plan(sql: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        return [row[-1] for row in cursor.fetchall()]


def test_the_large_tables_are_read_from_covering_indexes_by_range(coordinator, world):
    """SQLite's planner (no statistics, as in production) chooses between the indexes by
    their shape alone: every read of a large table on the dashboard and the report must
    be a search of an index that holds every column it needs, narrowed to the sessions or
    the days of the period, never a scan of all registrations or of all counts of a kind
    (which cost 130 ms instead of 4 at 1,000,000 counts)."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's query plans; PostgreSQL's are in docs/benchmarks.md")
    outreach_demo.seed()
    reporting_demo.seed()
    grow(world, sessions=2, people=3)
    reach(InfoSheetPage.objects.all()[:2], days=3)
    urls = ["/admin/", *(url for url in PAGES if "/rapportage/" not in url)]
    read = set()
    for url in urls:
        coordinator.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert coordinator.get(url).status_code == 200
        for query in ctx.captured_queries:
            for line in query_plan(query["sql"]):
                for table, narrowed_by in HEAVY_TABLES.items():
                    if f" {table} " in f"{line} ":
                        read.add(table)
                        assert line.startswith(f"SEARCH {table} USING COVERING INDEX"), (url, line)
                        assert narrowed_by in line, (url, line)
    assert read == set(HEAVY_TABLES)
