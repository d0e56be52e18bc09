import datetime as dt

from django.template.loader import render_to_string
from django.utils import timezone

from website.cards import Card, sort_cards


def test_upcoming_events_come_first_soonest_first_then_newest_publications():
    now = timezone.now()
    old = Card(
        kind="infosheet",
        kind_label="Informatieblad",
        title="Oud",
        url="/a/",
        date=(now - dt.timedelta(days=30)).date(),
    )
    new = Card(
        kind="episode",
        kind_label="Podcast",
        title="Nieuw",
        url="/b/",
        date=now - dt.timedelta(days=1),
    )
    soon = Card(
        kind="training",
        kind_label="Training",
        title="Binnenkort",
        url="/c/",
        date=now + dt.timedelta(days=2),
        upcoming=True,
    )
    later = Card(
        kind="webinar",
        kind_label="Webinar",
        title="Later",
        url="/d/",
        date=now + dt.timedelta(days=20),
        upcoming=True,
    )
    undated = Card(kind="animation", kind_label="Animatie", title="Zonder datum", url="/e/")
    ordered = sort_cards([old, later, undated, new, soon])
    assert [c.title for c in ordered] == ["Binnenkort", "Later", "Nieuw", "Oud", "Zonder datum"]


def test_card_renders_title_link_kind_and_badge_escaped():
    card = Card(
        kind="training",
        kind_label="Training",
        title="Basis <CTER>",
        url="/t/",
        badge="Nog 3 plekken",
        badge_tone="ok",
        meta=("Online", "2 uur"),
    )
    html = render_to_string("components/card.html", {"card": card})
    assert 'href="/t/"' in html
    assert "Basis &lt;CTER&gt;" in html
    assert "Nog 3 plekken" in html and "cter-badge--ok" in html
    assert "Online · 2 uur" in html
