"""The public pages of "Houd mij op de hoogte": forms, personal links, one-click
unsubscribe, hostile input, rate limits, link counting, query counts."""

import re

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag

from outreach.factories import TargetGroupIndexPageFactory, TargetGroupPageFactory
from subscriptions import services
from subscriptions.models import ClickCount, Decision, Subscription
from tests.subscriptions.conftest import mailing_for
from website.logging import redact

pytestmark = pytest.mark.django_db
BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36"


class CommittingClient:
    """The test client, with each request's after-commit work (the outbox's delivery)
    run when the request ends, as a real commit would (these tests never commit)."""

    def __init__(self, client, capture):
        self._client, self._capture = client, capture

    def __getattr__(self, name):
        method = getattr(self._client, name)
        if name not in ("get", "post", "head"):
            return method

        def call(*args, **kwargs):
            with self._capture(execute=True):
                return method(*args, **kwargs)

        return call


@pytest.fixture
def client(client, django_capture_on_commit_callbacks):
    return CommittingClient(client, django_capture_on_commit_callbacks)


def form_data(groups, **changes):
    data = {"email": "nieuw@example.nl", "target_groups": [groups[0].pk], "frequency": "direct"}
    data.update(changes)
    return data


def test_the_form_offers_target_groups_and_themes_in_use_and_preselects_from_a_landing_page(
    client, groups, publish
):
    publish(groups=[groups[0]], themes=["polarisatie"])
    Tag.objects.create(name="Ongebruikt", slug="ongebruikt")
    html = client.get(
        f"/op-de-hoogte/?doelgroep={groups[1].slug}&thema=polarisatie"
    ).content.decode()
    assert "Houd mij op de hoogte" in html
    labels = re.findall(r'<label class="utrecht-form-label[^"]*" for="[^"]+">([^<]+)</label>', html)
    assert groups[0].name in labels and "polarisatie" in labels
    assert "Ongebruikt" not in labels  # only themes content uses
    checked = re.findall(r'value="([^"]+)" id="[^"]+" checked', html)
    assert str(groups[1].pk) in checked
    assert str(Tag.objects.get(slug="polarisatie").pk) in checked


def test_subscribing_answers_the_same_for_new_and_known_addresses(client, groups, subscriber):
    subscriber("bekend@example.nl", groups=[groups[0]])
    new = client.post("/op-de-hoogte/", form_data(groups))
    known = client.post("/op-de-hoogte/", form_data(groups, email="bekend@example.nl"))
    assert new.status_code == known.status_code == 302
    assert new["Location"] == known["Location"] == "/op-de-hoogte/verstuurd/"
    page = client.get("/op-de-hoogte/verstuurd/").content.decode()
    assert "Kijk in uw e-mail" in page
    assert [m.to[0] for m in mail.outbox] == ["nieuw@example.nl", "bekend@example.nl"]


def test_errors_are_dutch_next_to_the_field_and_the_input_is_kept(client, groups):
    response = client.post("/op-de-hoogte/", {"email": "geen-adres", "frequency": "direct"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl." in html
    assert "Kies ten minste één doelgroep of thema." in html
    assert 'value="geen-adres"' in html
    assert 'href="#id_target_groups_0"' in html  # the summary links to the first checkbox
    assert not Subscription.objects.exists()


@pytest.mark.parametrize(
    "changes",
    [
        {"target_groups": ["9" * 400]},
        {"target_groups": ["-1"]},
        {"target_groups": ["1 OR 1=1"]},
        {"themes": ["99999999"]},
        {"target_groups": [str(n) for n in range(1, 300)]},
        {"frequency": "elke minuut"},
        {"email": "a\x00b@example.nl"},
        {"email": "x" * 300 + "@example.nl"},
        {"email": "a@example.nl\r\nBcc: iedereen@example.nl"},
    ],
)
def test_hostile_input_gets_a_dutch_message_never_an_error(client, groups, changes):
    response = client.post("/op-de-hoogte/", form_data(groups, **changes))
    assert response.status_code == 400
    html = response.content.decode()
    assert "fout" in html.lower()  # "Er is 1 fout in het formulier"
    assert not Subscription.objects.exists()
    assert mail.outbox == []


def test_bots_filling_the_hidden_field_get_the_same_answer_and_nothing_is_stored(client, groups):
    response = client.post("/op-de-hoogte/", form_data(groups, website="http://spam.example"))
    assert response["Location"] == "/op-de-hoogte/verstuurd/"
    assert not Subscription.objects.exists()


def test_a_flood_is_refused_with_a_dutch_message_the_same_for_known_addresses(
    client, groups, subscriber, settings
):
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "subscribe": {"client": (50, 3600), "email": (2, 3600)},
    }
    subscriber("bekend@example.nl", groups=[groups[0]])
    for _ in range(2):
        assert client.post("/op-de-hoogte/", form_data(groups)).status_code == 302
        assert (
            client.post("/op-de-hoogte/", form_data(groups, email="bekend@example.nl")).status_code
            == 302
        )
    for email in ("nieuw@example.nl", "bekend@example.nl"):
        response = client.post("/op-de-hoogte/", form_data(groups, email=email))
        assert response.status_code == 429 and int(response["Retry-After"]) > 0
        html = response.content.decode()
        assert "U heeft dit formulier te vaak verstuurd" in html
        assert 'value="' + email + '"' in html  # the input is kept
    assert len(mail.outbox) == 4


def test_a_client_sending_invalid_forms_in_a_flood_is_refused_too(client, groups, settings):
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "subscribe": {"client": (3, 3600), "email": (10, 3600)},
    }
    for _ in range(3):
        assert client.post("/op-de-hoogte/", form_data(groups, email="x")).status_code == 400
    refused = client.post("/op-de-hoogte/", form_data(groups))
    assert refused.status_code == 429
    assert "U heeft dit formulier te vaak verstuurd" in refused.content.decode()
    assert not Subscription.objects.exists() and mail.outbox == []


def test_confirming_needs_the_button_not_just_opening_the_link(client, groups):
    client.post("/op-de-hoogte/", form_data(groups))
    sub = Subscription.objects.get()
    url = f"/op-de-hoogte/bevestigen/{sub.token}/"
    page = client.get(url)  # a mail scanner opening the link
    assert page.status_code == 200 and "Mijn aanmelding bevestigen" in page.content.decode()
    assert page["Cache-Control"] == "private, no-store"
    sub.refresh_from_db()
    assert sub.confirmed_at is None
    done = client.post(url)
    assert "Uw aanmelding is bevestigd" in done.content.decode()
    sub.refresh_from_db()
    assert sub.confirmed_at is not None
    assert client.get(url)["Location"] == f"/op-de-hoogte/beheren/{sub.token}/"
    gone = client.get("/op-de-hoogte/bevestigen/" + "A" * 43 + "/")
    assert gone.status_code == 410 and "Deze link werkt niet meer" in gone.content.decode()
    assert client.get("/op-de-hoogte/bevestigen/kort/").status_code == 404


def test_preferences_change_through_the_personal_link(client, groups, subscriber, publish):
    publish(groups=[groups[0]], themes=["polarisatie"])
    sub = subscriber("kies@example.nl", groups=[groups[0]])
    url = f"/op-de-hoogte/beheren/{sub.token}/"
    html = client.get(url).content.decode()
    assert "Uw abonnement" in html and f"/op-de-hoogte/afmelden/{sub.token}/" in html
    theme = Tag.objects.get(slug="polarisatie")
    response = client.post(url, {"themes": [theme.pk], "frequency": "monthly"})
    assert response["Location"] == url
    assert "Uw keuze is opgeslagen." in client.get(url).content.decode()
    sub.refresh_from_db()
    assert sub.frequency == "monthly" and not sub.target_groups.exists()
    bad = client.post(url, {"frequency": "monthly"})
    assert bad.status_code == 400
    assert "Kies ten minste één doelgroep of thema." in bad.content.decode()


def test_one_click_unsubscribe_by_post_without_a_csrf_token(groups, subscriber):
    """RFC 8058: the mail client POSTs "List-Unsubscribe=One-Click" to the URL of the
    List-Unsubscribe header, with no cookie and no CSRF token."""
    sub = subscriber("weg@example.nl", groups=[groups[0]])
    mail_client = Client(enforce_csrf_checks=True)
    response = mail_client.post(
        f"/op-de-hoogte/afmelden/{sub.token}/",
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert "U bent afgemeld" in response.content.decode()
    assert not Subscription.objects.exists()
    again = mail_client.post(f"/op-de-hoogte/afmelden/{sub.token}/")
    assert again.status_code == 200  # idempotent


def test_unsubscribe_by_link_shows_a_button_that_works_without_javascript(
    client, groups, subscriber
):
    sub = subscriber("weg@example.nl", groups=[groups[0]])
    url = f"/op-de-hoogte/afmelden/{sub.token}/"
    page = client.get(url).content.decode()
    assert Subscription.objects.exists()  # opening the link changes nothing
    assert '<form method="post">' in page and ">Afmelden</button>" in page
    client.post(url)
    assert not Subscription.objects.exists()
    assert client.get(url).status_code == 410


def test_a_link_in_a_mailing_counts_per_day_and_sends_the_reader_on(
    client, groups, subscriber, publish, editor, django_capture_on_commit_callbacks
):
    subscriber("a@example.nl", groups=[groups[0]])
    page = publish(groups=[groups[0]])
    mailing = mailing_for(page)
    with django_capture_on_commit_callbacks(execute=True):
        services.decide(
            mailing_id=mailing.pk, decision=Decision.NOTIFY, user=editor, now=mailing.created_at
        )
    url = f"/op-de-hoogte/link/{mailing.pk}/0/"
    assert url in mail.outbox[0].body
    response = client.get(url, HTTP_USER_AGENT=BROWSER_UA)
    assert response.status_code == 302 and response["Location"] == page.url
    client.get(url, HTTP_USER_AGENT=BROWSER_UA)  # the same reader again today
    client.get(url, HTTP_USER_AGENT="Googlebot/2.1")  # a bot
    client.head(url, HTTP_USER_AGENT=BROWSER_UA)
    assert list(ClickCount.objects.values_list("count", flat=True)) == [1]
    assert client.get(f"/op-de-hoogte/link/{mailing.pk}/7/").status_code == 404
    assert client.get("/op-de-hoogte/link/" + "9" * 30 + "/0/").status_code == 404
    page.unpublish()
    gone = client.get(url, HTTP_USER_AGENT=BROWSER_UA)
    assert gone.status_code == 410 and "niet meer beschikbaar" in gone.content.decode()


def test_the_footer_and_every_landing_page_link_to_the_subscription(client, groups, site_home):
    index = TargetGroupIndexPageFactory(parent=site_home)
    landing = TargetGroupPageFactory(parent=index, target_group=groups[0])
    home = client.get("/").content.decode()
    assert 'href="/op-de-hoogte/">Houd mij op de hoogte</a>' in home
    html = client.get(landing.url).content.decode()
    assert f'href="/op-de-hoogte/?doelgroep={groups[0].slug}"' in html
    assert 'href="/op-de-hoogte/"' in client.get(index.url).content.decode()


def test_personal_links_never_reach_the_logs():
    line = "POST /op-de-hoogte/afmelden/abcDEF123_-abcDEF123_-abcDEF123_-abcDEF123_/ 200"
    assert redact(line) == "POST /op-de-hoogte/afmelden/[token]/ 200"
    assert "[token]" in redact("/op-de-hoogte/beheren/x/") and "[token]" in redact(
        "/op-de-hoogte/bevestigen/x/"
    )


def _queries(client, url) -> int:
    for _ in range(2):  # settings and routing come from the cache after the first requests
        client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_query_counts_do_not_grow_with_the_number_of_subscribers(client, groups, subscriber):
    counts = []
    for size in (2, 12):
        Subscription.objects.all().delete()
        subs = [
            subscriber(f"abonnee{n}@example.nl", groups=groups[:3], themes=["thema-a", "thema-b"])
            for n in range(size)
        ]
        counts.append(
            (
                _queries(client, "/op-de-hoogte/"),
                _queries(client, f"/op-de-hoogte/beheren/{subs[-1].token}/"),
                _queries(client, f"/op-de-hoogte/afmelden/{subs[-1].token}/"),
            )
        )
    assert counts[0] == counts[1], counts


@pytest.mark.parametrize("kind", ["bevestigen", "beheren", "afmelden"])
def test_forged_personal_links_are_a_dutch_4xx_and_change_nothing(client, groups, subscriber, kind):
    sub = subscriber("echt@example.nl", groups=[groups[0]])
    forged = f"/op-de-hoogte/{kind}/{'B' * 43}/"
    opened = client.get(forged)
    assert opened.status_code == 410
    assert "Deze link werkt niet meer" in opened.content.decode()
    posted = client.post(forged, {"frequency": "monthly", "themes": [1]})
    if kind == "afmelden":  # one-click unsubscribe is idempotent: the same answer as a repeat
        assert posted.status_code == 200 and "U bent afgemeld" in posted.content.decode()
    else:
        assert posted.status_code == 410
    for bad in ("x" * 44, "%00" + "A" * 40, "A" * 42 + "%0A", "A" * 4000):
        assert client.get(f"/op-de-hoogte/{kind}/{bad}/").status_code == 404
    sub.refresh_from_db()
    assert sub.frequency == "direct" and sub.confirmed_at is not None
    assert Subscription.objects.count() == 1


@pytest.mark.parametrize(
    "query",
    ["doelgroep=" + "x" * 5000, "thema=%00%0d%0a", "doelgroep=1&doelgroep=2&thema[]=x"],
)
def test_absurd_query_strings_on_the_form_are_ignored(client, groups, query):
    response = client.get(f"/op-de-hoogte/?{query}")
    assert response.status_code == 200
    assert " checked" not in response.content.decode().split('name="frequency"')[0]


def test_other_methods_are_refused(client, groups, subscriber):
    sub = subscriber("echt@example.nl", groups=[groups[0]])
    assert client.put("/op-de-hoogte/").status_code == 405
    assert client.delete(f"/op-de-hoogte/afmelden/{sub.token}/").status_code == 405
    assert client.post("/op-de-hoogte/verstuurd/").status_code == 405
    assert Subscription.objects.exists()
