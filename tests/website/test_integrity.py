"""Issue 11 (web side) for the site as a whole: ids, headers, documents, settings, search."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.utils import timezone
from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import GroupPagePermission, Page

from tests.website.test_settings import run_manage
from website.search import cleanup_popular_searches
from website.settings import base

pytestmark = pytest.mark.django_db

BIG = "9" * 30


def user_with(client, *perms):
    group = Group.objects.create(name="Rol (test)")
    for perm in perms:
        app, codename = perm.split(".")
        group.permissions.add(
            Permission.objects.get(codename=codename, content_type__app_label=app)
        )
    user = User.objects.create_user("medewerker", "m@example.nl", "x")
    user.groups.add(group)
    client.force_login(user)
    return client


def test_podcast_report_ignores_ids_beyond_64_bits(client, site_home):
    user_with(client, "wagtailadmin.access_admin", "podcasts.view_downloadcount")
    client.raise_request_exception = False
    for query in (f"show={BIG}", f"episode={BIG}", f"show=-{BIG}&period=7", "show=1e999"):
        response = client.get(f"/admin/podcasts/downloads/?{query}")
        assert response.status_code == 200, query


def test_wagtail_admin_filters_ignore_ids_beyond_64_bits(client, site_home):
    user_with(
        client,
        "wagtailadmin.access_admin",
        "auth.view_user",
        "auth.change_user",
        "wagtailcore.change_page",
    )

    group = Group.objects.get(name="Rol (test)")
    GroupPagePermission.objects.create(
        group=group, page=Page.objects.get(depth=1), permission_type="change"
    )
    client.raise_request_exception = False
    for url in (
        f"/admin/pages/?owner={BIG}",
        f"/admin/pages/?owner=-{BIG}",
        f"/admin/users/?group={BIG}",
    ):
        assert client.get(url).status_code == 200, url


# ----- item 10: popular searches are capped and cleaned up ------------------------------------


def popular():

    return {q.query_string: q.hits for q in Query.objects.all()}


BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36"


def search(client, query, visitor=1, **extra):
    """A search by a person in a browser; ``visitor`` picks the address."""
    meta = {"REMOTE_ADDR": f"192.0.2.{visitor}", "HTTP_USER_AGENT": BROWSER_UA, **extra}
    return client.get("/zoeken/", {"q": query}, **meta)


def test_only_searches_with_results_count_normalised(client, site_home):
    search(client, "  PRIVACY   ", visitor=1)
    search(client, "privacy", visitor=2)
    for n in range(20):  # every word combination without a result: nothing stored
        search(client, f"xyzzy{n} quux{n}", visitor=n + 3)
    assert popular() == {"privacy": 2}


def test_a_search_counts_once_per_visitor_and_day_and_never_for_bots(client, site_home):
    """Repeating a search (or a flood from one address) makes nothing popular."""
    for _ in range(5):
        search(client, "privacy", visitor=1)
    search(client, "Privacy", visitor=1)  # the same query, normalised
    search(client, "privacy", visitor=1, HTTP_USER_AGENT="curl/8.5.0")
    client.get("/zoeken/", {"q": "privacy"})  # no user agent at all
    assert popular() == {"privacy": 1}
    search(client, "privacy", visitor=2)
    assert popular() == {"privacy": 2}


def test_long_queries_are_not_counted(client, site_home):
    long = (
        "privacyverklaring persoonsgegevens aanmeldt training webinar verantwoordelijk "
        "verwerking gegevens website contactadres"
    )
    response = search(client, long)
    assert '<a class="utrecht-link" href="/privacy/">Privacyverklaring</a></h3>' in (
        response.content.decode()
    )  # it has a result
    search(client, "privacy")
    assert list(popular()) == ["privacy"]


def test_popular_searches_have_a_cap_on_rows(client, site_home, settings):

    settings.SEARCH_POPULAR_MAX_ROWS = 2
    Query.get("een").add_hit()
    Query.get("twee").add_hit()
    search(client, "privacy", visitor=1)  # a new query beyond the cap: not stored
    assert "privacy" not in popular()
    Query.objects.filter(query_string="twee").delete()
    search(client, "privacy", visitor=2)
    assert popular()["privacy"] == 1


def test_rare_old_popular_searches_are_cleaned_up(client, site_home):

    today = timezone.localdate()
    old = today - dt.timedelta(days=30)
    Query.get("eenmalig oud").add_hit(date=old)  # rare and old: goes
    Query.get("eenmalig nieuw").add_hit(date=today)  # rare but recent: stays for now
    for day in range(3):  # searched often: stays
        Query.get("radicalisering").add_hit(date=old + dt.timedelta(days=day))
    promoted = Query.get("gepromoot")  # an editor's promotion: stays
    SearchPromotion.objects.create(query=promoted, page=Page.objects.get(depth=2))
    Query.get("heel oud").add_hit(date=today - dt.timedelta(days=400))  # beyond the window
    cleanup_popular_searches(today=today)
    assert set(popular()) == {"eenmalig nieuw", "radicalisering", "gepromoot"}


def test_cleanup_runs_by_itself_once_a_day(client, site_home):

    Query.get("eenmalig oud").add_hit(date=timezone.localdate() - dt.timedelta(days=30))
    search(client, "privacy")
    assert set(popular()) == {"privacy"}


# ----- item 11: production needs a shared cache -------------------------------------------------

PRODUCTION = {
    "SECRET_KEY": "x" * 20 + "a-long-random-production-secret-value-123",
    "ALLOWED_HOSTS": "cter.example.nl",
}
SHOW_CACHE = (
    "from django.conf import settings; c = settings.CACHES['default']; "
    "print(c['BACKEND'], c.get('LOCATION'))"
)


def production(tmp_path, **env):

    return run_manage(
        "shell",
        "-c",
        SHOW_CACHE,
        "--settings=website.settings.production",
        env_extra={**PRODUCTION, "VAR_DIR": str(tmp_path), "REDIS_URL": "", **env},
    )


@pytest.mark.parametrize("env", [{}, {"CACHE_BACKEND": "locmem"}, {"CACHE_BACKEND": "memory"}])
def test_production_refuses_to_start_without_a_shared_cache(tmp_path, env):
    result = production(tmp_path, **env)
    assert result.returncode != 0
    assert "REDIS_URL" in result.stderr and "CACHE_BACKEND=database" in result.stderr


def test_production_uses_redis_or_the_database_cache(tmp_path):
    result = production(tmp_path, REDIS_URL="redis://cache.internal:6379/0")
    assert result.returncode == 0, result.stderr
    assert "RedisCache redis://cache.internal:6379/0" in result.stdout
    result = production(tmp_path, CACHE_BACKEND="database")
    assert result.returncode == 0, result.stderr
    assert "DatabaseCache cter_cache" in result.stdout


# ----- item 14: frame-ancestors and X-Frame-Options agree ---------------------------------------


@pytest.mark.parametrize(("xfo", "ancestors"), [("DENY", "'none'"), ("SAMEORIGIN", "'self'")])
def test_frame_ancestors_and_x_frame_options_agree(client, site_home, settings, xfo, ancestors):
    settings.X_FRAME_OPTIONS = xfo
    for url in ("/", "/zoeken/?q=privacy", "/privacy/"):
        response = client.get(url)
        assert response["X-Frame-Options"] == xfo
        assert f"frame-ancestors {ancestors}" in response["Content-Security-Policy"]


def test_the_public_site_may_not_be_framed_by_default():

    assert base.X_FRAME_OPTIONS == "DENY"  # production inherits it
