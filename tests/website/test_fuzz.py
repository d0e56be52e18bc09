"""Property-based fuzzing of the public site (issue 11, item 15).

Hostile and random values (long strings, NUL and other control characters, bidi
overrides, invalid UTF-8 percent-escapes, HTML, template and SQL fragments, huge and
negative numbers, repeated and missing parameters) go to every GET parameter of every
public URL and to every public form. The URLs are discovered, not hand-listed: every
page of the demo site's page tree (with its routable sub-pages, e.g. podcast feeds) and
every non-admin pattern of the project's URLconf, filled with real ids, tokens and slugs;
a new URL pattern the fuzzer cannot fill fails the GET test until it is taught how.

Properties: never a 5xx; markup we send never comes back as markup in an HTML page
(public pages and the coordinators' admin pages that show what was stored); the log
never holds a personal value we posted.

Runs in well under a minute: hypothesis profile "ci" (``derandomize``, bounded examples,
``deadline=None``) under CI=true, "dev" otherwise (tests/conftest.py).
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import logging
import unicodedata
import urllib.parse

import pytest
from django.contrib.auth.models import Group, User
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from taggit.models import Tag
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.documents import get_document_model
from wagtail.models import Page, PageViewRestriction

from learning.models import (
    Evaluation,
    Organisation,
    Participant,
    Registration,
    Session,
    SignInToken,
    TrainingRequest,
)
from learning.services import hash_token
from podcasts.models import PodcastEpisodePage
from subscriptions.models import Mailing, Subscription
from website.hooks import seed_demo_content
from website.models import Municipality, TargetGroup

pytestmark = pytest.mark.django_db

MARK = "fuzz-mark"  # a tag name no template uses: "<fuzz-mark" in a page means raw markup
PERSONAL = "fuzzperson"  # every "personal" value we post contains this; logs must not

FRAGMENTS = [
    f"<{MARK}>x</{MARK}>",
    f'"><{MARK} onmouseover=alert(1)>',
    f"<script>alert(1)</script><{MARK}>",
    "' OR 1=1 --",
    "'; DROP TABLE learning_registration; --",
    "{{ settings.SECRET_KEY }}",
    "{% debug %}",
    "../../../../etc/passwd",
    "\x00",
    "a\x00b",
    "\x07\x1b[31m",
    "\u202etxt.exe",
    "\u2066x\u2069",
    "\ufeff",
    "\r\nSet-Cookie: x=1",
    "%00",
    '=HYPERLINK("http://x")',
    "-1",
    "0",
    "9" * 30,
    "-" + "9" * 30,
    "9" * 5000,
    "1e999",
    "NaN",
    "Infinity",
    "A" * 70_000,
    "😀" * 300,
    "",
    " ",
]
hostile = st.one_of(
    st.sampled_from(FRAGMENTS),
    st.text(max_size=40),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
)
# Percent-escapes that are not UTF-8, or not escapes at all.
RAW_ESCAPES = ["%ff", "%fe%ff", "%c3%28", "%e2%82", "%80", "%", "%zz", "%00", "%0d%0a", "%%"]
RANGES = [
    "bytes=" + "9" * 5000 + "-",
    "bytes=0-" + "9" * 5000,
    "bytes=-" + "9" * 5000,
    "bytes=0-0," * 500 + "1-1",
    "bytes=-0",
    "bytes=5-1",
    "bytes=\x00-\xff",
]
HEADERS = {
    "HTTP_RANGE": st.one_of(st.sampled_from(RANGES), hostile),
    "HTTP_IF_RANGE": hostile,
    "HTTP_IF_NONE_MATCH": st.one_of(st.just("*"), hostile),
    "HTTP_IF_MODIFIED_SINCE": st.one_of(st.just("Sat, 29 Oct 1994 19:43:31 GMT"), hostile),
    "HTTP_ACCEPT_LANGUAGE": hostile,
    "HTTP_USER_AGENT": hostile,
    "HTTP_X_FORWARDED_FOR": hostile,
    "HTTP_REFERER": hostile,
}
HOSTILE_HEADERS = {
    "HTTP_RANGE": RANGES[0],
    "HTTP_IF_NONE_MATCH": "9" * 5000,
    "HTTP_IF_MODIFIED_SINCE": "9" * 5000,
    "HTTP_ACCEPT_LANGUAGE": "\u202e" * 100,
    "HTTP_USER_AGENT": "\x00" * 100,
}
PARAMS = [
    "q",
    "type",
    "doelgroep",
    "pagina",
    "level",
    "kind",
    "format",
    "target_group",
    "theme",
    "region",
    "month",
    "free",
    "bedankt",
    "status",
    "utm_source",
    "x",
]


def raw_query() -> st.SearchStrategy[str]:
    pair = st.tuples(st.sampled_from(PARAMS), st.one_of(hostile, st.sampled_from(RAW_ESCAPES)))
    encoded = st.lists(pair, max_size=5).map(
        lambda pairs: "&".join(
            f"{urllib.parse.quote(k)}={v if v in RAW_ESCAPES else urllib.parse.quote(v[:3000])}"
            for k, v in pairs
        )
    )
    return st.one_of(
        encoded,
        st.lists(
            st.sampled_from([*RAW_ESCAPES, "q=", "&&", "=", "q", "pagina=2&pagina=3"]), max_size=6
        ).map("".join),
    )


# ----- the site under test -----------------------------------------------------------------------


@pytest.fixture
def demo_site(site_home, settings):
    """The whole demo (pages of every app, sessions, registrations, episodes), generous
    rate limits (the limiter has its own tests) and a few personal links to fuzz."""

    seed_demo_content(scale=1, stdout=io.StringIO())  # every app's demo, in hook order
    settings.RATE_LIMITS = {
        scope: dict.fromkeys(counters, (10000, 3600))
        for scope, counters in getattr(settings, "RATE_LIMITS", {}).items()
    }
    now = timezone.now()
    SignInToken.objects.create(
        token_hash=hash_token("fuzz-sign-in-token"),
        email="persoon@example.nl",
        created_at=now,
        expires_at=now + dt.timedelta(hours=1),
    )
    attended = Registration.objects.filter(
        attendance="present", session__ends_at__lt=now, evaluation__isnull=True
    ).first()
    upcoming = Registration.objects.filter(status="confirmed", session__starts_at__gt=now).first()
    subscription = Subscription.objects.create(
        email="abonnee@example.nl", created_at=now, updated_at=now, confirmed_at=now
    )
    subscription.target_groups.add(TargetGroup.objects.first())
    return {"attended": attended, "upcoming": upcoming, "subscription": subscription}


@pytest.fixture
def log_output():
    """Everything the console handler (the only one) writes during the test."""
    handler = logging.getLogger("django").handlers[0]
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


def walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            yield from walk(
                entry.url_patterns,
                prefix + str(entry.pattern),
                f"{namespace}:{ns}".strip(":") if ns else namespace,
            )
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry, namespace


def kwarg_names(pattern: URLPattern) -> list[str]:
    converters = getattr(pattern.pattern, "converters", None)
    if converters:
        return list(converters)
    regex = pattern.pattern.regex
    return list(regex.groupindex) if regex.groups else []


def samples() -> dict[str, list]:
    """Real values for every URL argument the public site takes."""

    docs = list(get_document_model().objects.order_by("pk")[:2])
    episodes = list(PodcastEpisodePage.objects.live().order_by("pk")[:2])
    restriction = PageViewRestriction.objects.first()
    tokens = list(Registration.objects.order_by("pk").values_list("token", flat=True)[:2])
    return {
        "session_id": list(Session.objects.order_by("pk").values_list("pk", flat=True)[:2]),
        "token": [*tokens, "fuzz-sign-in-token", "onbekend"],
        "target_group": list(TargetGroup.objects.values_list("slug", flat=True)[:2]),
        "slug": list(Tag.objects.values_list("slug", flat=True)[:2]) or ["polarisatie"],
        "key": [str(e.enclosure_uuid) for e in episodes],
        "ext": [e.audio_type for e in episodes],
        "document_id": [d.pk for d in docs],
        "document_filename": [d.filename for d in docs],
        "restriction_id": [restriction.pk] if restriction else [1],
        "page_view_restriction_id": [restriction.pk] if restriction else [1],
        "page_id": [restriction.page_id] if restriction else [1],
        "fmt": ["json", "csv"],
        "subscription_token": [
            *Subscription.objects.order_by("pk").values_list("token", flat=True)[:1],
            "A" * 43,
        ],
        "mailing_id": list(Mailing.objects.order_by("pk").values_list("pk", flat=True)[:2]) or [1],
        "position": [0, 1],
    }


def page_urls() -> list[str]:
    """Every page in the tree (restricted ones too) and the routes of routable pages."""

    urls = []
    for page in Page.objects.filter(depth__gt=1).specific():
        url = page.url
        if not url:
            continue
        urls.append(url)
        if isinstance(page, RoutablePageMixin):
            for sub in page.get_resolver().url_patterns:
                if not kwarg_names(sub) and sub.name:
                    urls.append(url + page.reverse_subpage(sub.name).lstrip("/"))
    return sorted(set(urls))


SKIPPED_ROUTES = {
    # Wagtail's old document URL; ours (website.views.serve_document) answers the same paths.
    r"documents/^(\d+)/(.*)$",
}


def public_urls() -> tuple[list[str], list[str]]:
    """(urls, uncovered routes) of every non-admin URL pattern and every page."""
    values = samples()
    urls, uncovered = [], []
    for route, pattern, namespace in walk(get_resolver().url_patterns):
        if route.startswith(("admin/", "django-admin/")) or route in SKIPPED_ROUTES:
            continue
        names = kwarg_names(pattern)
        if pattern.name == "wagtail_serve":
            urls += page_urls()
        elif not names:
            urls.append("/" + route.lstrip("^").rstrip("$").replace("\\", ""))
        elif all(values.get(n) for n in names) and pattern.name:
            full = f"{namespace}:{pattern.name}" if namespace else pattern.name
            for combo in itertools.islice(zip(*(values[n] for n in names), strict=False), 2):
                urls.append(reverse(full, kwargs=dict(zip(names, combo, strict=True))))
            if "token" in names:  # every known token
                urls += [reverse(full, kwargs={"token": t}) for t in values["token"][2:]]
        else:
            uncovered.append(route)
    return sorted(set(urls)), uncovered


def check(response, url):
    assert response.status_code < 500, (url, response.status_code)
    if "text/html" in response.get("Content-Type", "") and not response.streaming:
        assert f"<{MARK}" not in response.content.decode(errors="replace"), url


# ----- the properties ----------------------------------------------------------------------------


def test_get_parameters_and_headers_of_every_public_url(client, demo_site, log_output):
    urls, uncovered = public_urls()
    # a new public URL pattern the fuzzer cannot fill fails here, until it is taught how
    assert not uncovered, f"teach tests/website/test_fuzz.py values for: {uncovered}"
    assert len(urls) > 40
    for expected in ("/zoeken/", "/trainingen/agenda.ics", "/podcasts/samen-veilig/feed/"):
        assert expected in urls
    client.raise_request_exception = False

    @given(
        url=st.sampled_from(urls),
        query=raw_query(),
        headers=st.fixed_dictionaries({}, optional=HEADERS),
    )
    def fuzz(url, query, headers):
        response = client.get(url, QUERY_STRING=query, **headers)
        check(response, f"{url}?{query[:80]} {sorted(headers)}")

    fuzz()
    # every URL once with the same hostile query and headers, so none is left out by chance
    for url in urls:
        query = "q=%ff&pagina=" + "9" * 5000 + "&type=%00&doelgroep=%e2%82"
        check(client.get(url, QUERY_STRING=query, **HOSTILE_HEADERS), url)
        check(client.head(url, **HOSTILE_HEADERS), url)
    assert "Traceback" not in log_output.getvalue()


def personal(draw_text: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Hostile text, or a plausible personal value that the log must never show."""
    return st.one_of(draw_text, st.integers(0, 10**6).map(lambda n: f"{PERSONAL}{n}"))


def valid_email() -> st.SearchStrategy[str]:
    return st.integers(0, 10**6).map(lambda n: f"{PERSONAL}.{n}@example.nl")


def form_data(fields: dict[str, st.SearchStrategy]) -> st.SearchStrategy[dict]:
    """Each field: its plausible value, a hostile one, a repeated one, or left out."""
    return st.fixed_dictionaries(
        {},
        optional={
            name: st.one_of(
                good, hostile, st.lists(st.one_of(good, hostile), min_size=2, max_size=3)
            )
            for name, good in fields.items()
        },
    )


def test_every_public_form(client, demo_site, log_output, caplog):

    municipality = str(Municipality.objects.first().pk)
    group = str(TargetGroup.objects.first().pk)
    session = Session.objects.filter(starts_at__gt=timezone.now()).order_by("pk").first()
    text = personal(hostile)
    person = {
        "first_name": text,
        "last_name": text,
        "email": st.one_of(valid_email(), hostile),
        "organisation": text,
        "function": text,
        "municipality": st.sampled_from([municipality, "other", "outside"]),
        "target_group": st.just(group),
        "needs": text,
        "consent": st.just("on"),
        "website": st.just(""),
    }
    request = {
        "organisation": text,
        "municipality": st.just(municipality),
        "contact_name": text,
        "contact_email": st.one_of(valid_email(), hostile),
        "contact_phone": text,
        "wanted": text,
        "preferred_period": text,
        "group_size": st.one_of(st.integers(-5, 2000).map(str), hostile),
        "remarks": text,
    }
    attended, upcoming = demo_site["attended"], demo_site["upcoming"]
    subscription = demo_site["subscription"]
    choice = {
        "target_groups": st.one_of(st.just(group), hostile),
        "themes": st.one_of(
            st.sampled_from(
                [str(t) for t in Tag.objects.values_list("pk", flat=True)[:3]] or ["1"]
            ),
            hostile,
        ),
        "frequency": st.sampled_from(["direct", "monthly", "x"]),
    }
    forms = {
        f"/trainingen/aanmelden/{session.pk}/": person,
        "/trainingen/aanvragen/in-company/": request,
        "/trainingen/aanvragen/pressure-cooker/": request,
        "/mijn-trainingen/": {"email": st.one_of(valid_email(), hostile), "website": hostile},
        f"/trainingen/aanmelding/{attended.token}/evaluatie/": {
            "overall": st.sampled_from(["1", "5", "0", "6", "x"]),
            "usefulness": st.sampled_from(["3", "-1", "9" * 30]),
            "recommend": st.sampled_from(["yes", "no", "maybe"]),
            "improvement": text,
        },
        f"/trainingen/aanmelding/{upcoming.token}/annuleren/": {"x": hostile},
        "/mijn-trainingen/inloggen/fuzz-sign-in-token/": {"x": hostile},
        "/mijn-trainingen/uitloggen/": {"x": hostile},
        # the public login (django-axes): the username never reaches the log; no open redirect
        "/inloggen/": {"username": text, "password": text, "next": hostile},
        "/op-de-hoogte/": {
            "email": st.one_of(valid_email(), hostile),
            **choice,
            "website": st.just(""),
        },
        f"/op-de-hoogte/beheren/{subscription.token}/": choice,
    }
    posted: set[str] = set()
    client.raise_request_exception = False

    @hypothesis_settings(max_examples=2 * hypothesis_settings.default.max_examples)  # cheap
    @given(
        st.sampled_from(sorted(forms)).flatmap(lambda u: st.tuples(st.just(u), form_data(forms[u])))
    )
    def fuzz(case):
        url, data = case
        for value in data.values():
            for item in value if isinstance(value, list) else [value]:
                if PERSONAL in item:
                    posted.add(item)
        check(client.post(url, data), url)

    with caplog.at_level(logging.INFO):
        fuzz()
    # what was stored never renders as markup, for visitors or coordinators
    coordinator = coordinator_client()

    pages = ["/admin/trainingen/sessies/", f"/admin/trainingen/sessies/{session.pk}/"]
    pages += ["/admin/snippets/learning/trainingrequest/", "/admin/trainingen/organisaties/"]
    pages += [
        f"/admin/snippets/learning/trainingrequest/edit/{pk}/"
        for pk in TrainingRequest.objects.values_list("pk", flat=True)[:5]
    ]
    pages += [f"/admin/trainingen/evaluaties/{attended.session.page_id}/"]
    for url in pages:
        response = coordinator.get(url)
        check(response, url)
        assert response.status_code == 200, url
    # the data-subject screen shows everything stored about a person
    for email in Participant.objects.values_list("email", flat=True).order_by("-pk")[:3]:
        response = coordinator.post("/admin/persoonsgegevens/", {"email": email})
        check(response, "personal data")
    for reg in Registration.objects.filter(session=session).order_by("-pk")[:5]:
        check(client.get(f"/trainingen/aanmelding/{reg.token}/"), "personal page")
    # nothing stored holds invisible characters or more than its field allows
    stored_text_is_bounded_and_plain()
    # and no personal value we posted reaches the log
    logged = log_output.getvalue() + "\n".join(r.getMessage() for r in caplog.records)
    leaked = [value for value in posted if value in logged]
    assert not leaked, leaked[:3]
    assert "@example.nl" not in logged


def coordinator_client():
    """A real coordinator: a member of the group Coördinator (no superuser)."""
    user, _ = User.objects.get_or_create(username="fuzz-coordinator")
    user.groups.add(Group.objects.get(name="Coördinator"))
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def stored_text_is_bounded_and_plain():

    def has_invisible_characters(value, *, multiline):
        allowed = "\t\n\r" if multiline else ""
        return any(
            (unicodedata.category(c) == "Cc" and c not in allowed)
            or c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
            for c in value
        )

    for model in (Participant, TrainingRequest, Organisation, Evaluation, Subscription):
        fields = [
            f
            for f in model._meta.get_fields()
            if isinstance(f, models.CharField | models.TextField)
        ]
        for row in model.objects.values(*[f.name for f in fields]):
            for field in fields:
                value = row[field.name] or ""
                multiline = isinstance(field, models.TextField)
                where = f"{model.__name__}.{field.name}"
                assert not has_invisible_characters(value, multiline=multiline), where
                assert field.max_length is None or len(value) <= field.max_length, where
                assert field.max_length is not None, f"{where} has no maximum length"
