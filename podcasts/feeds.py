"""The RSS 2.0 feed of a show, with the itunes, Podcasting 2.0 and content namespaces.

Everything is absolute (``BASE_URL``), item GUIDs and enclosure URLs come from the
episode's ``enclosure_uuid`` that never changes, and show notes go into
``content:encoded`` with only the tags podcast apps render.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from email.utils import format_datetime

import bleach
from wagtail.rich_text import expand_db_html

from . import apple

NS = {
    "itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd",
    "podcast": "https://podcastindex.org/namespace/1.0",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "atom": "http://www.w3.org/2005/Atom",
}
for _prefix, _uri in NS.items():
    ET.register_namespace(_prefix, _uri)

ALLOWED_TAGS = frozenset({"p", "br", "a", "ul", "ol", "li", "strong", "em"})
ALLOWED_ATTRIBUTES = {"a": ["href"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
DROP_WITH_CONTENT = re.compile(
    r"<(script|style|template|iframe|object|noscript)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL
)
RELATIVE_HREF = re.compile(r'href="/(?!/)')


def clean_show_notes(html: str, *, base_url: str) -> str:
    """Show notes as podcast apps render them: p, br, a[href], ul, ol, li, strong, em.
    Scripts, styles and their content, event handlers and every other tag or attribute
    are removed; Wagtail's <b>/<i> become <strong>/<em>, headings bold paragraphs; links become absolute."""
    html = DROP_WITH_CONTENT.sub("", html or "")
    html = re.sub(r"<h[1-6]\b[^>]*>", "<p><strong>", html, flags=re.IGNORECASE)
    html = re.sub(r"</h[1-6]\s*>", "</strong></p>", html, flags=re.IGNORECASE)
    html = re.sub(r"<(/?)b(\s|>)", r"<\1strong\2", html, flags=re.IGNORECASE)
    html = re.sub(r"<(/?)i(\s|>)", r"<\1em\2", html, flags=re.IGNORECASE)
    cleaned = bleach.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
    )
    return RELATIVE_HREF.sub(f'href="{base_url}/', cleaned).strip()


def _sub(parent, tag, content=None, /, **attrs):
    """A child element; ``content`` is its text, keyword arguments its attributes."""
    if ":" in tag:
        prefix, name = tag.split(":", 1)
        tag = f"{{{NS[prefix]}}}{name}"
    element = ET.SubElement(parent, tag, {k.replace("__", ":"): str(v) for k, v in attrs.items()})
    if content is not None:
        element.text = str(content)
    return element


def _date(value) -> str:
    return format_datetime(value.astimezone(dt.UTC), usegmt=True)


def render_feed(
    *, data, feed_url: str, guid, show_url: str, base_url: str, artwork_url: str, urls
) -> bytes:
    """The feed as UTF-8 bytes. ``urls`` gives absolute URLs for an episode:
    ``urls.page(e)``, ``urls.enclosure(e)``, ``urls.document(doc)``."""
    show = data.show
    rss = ET.Element("rss", {"version": "2.0"})
    channel = _sub(rss, "channel")
    _sub(channel, "title", show.title)
    _sub(channel, "link", show_url)
    _sub(channel, "description", show.description)
    _sub(channel, "language", show.language)
    if show.copyright:
        _sub(channel, "copyright", show.copyright)
    _sub(channel, "lastBuildDate", _date(data.last_modified))
    _sub(channel, "generator", "Samen Veilig CTER (Wagtail)")
    _sub(channel, "atom:link", href=feed_url, rel="self", type="application/rss+xml")
    if artwork_url:
        image = _sub(channel, "image")
        _sub(image, "url", artwork_url)
        _sub(image, "title", show.title)
        _sub(image, "link", show_url)
        _sub(channel, "itunes:image", href=artwork_url)
    category, subcategory = apple.split(show.category)
    element = _sub(channel, "itunes:category", text=category)
    if subcategory:
        _sub(element, "itunes:category", text=subcategory)
    _sub(channel, "itunes:explicit", "true" if show.explicit else "false")
    _sub(channel, "itunes:author", show.author)
    owner = _sub(channel, "itunes:owner")
    _sub(owner, "itunes:name", show.owner_name)
    _sub(owner, "itunes:email", show.owner_email)
    _sub(channel, "itunes:type", show.show_type)
    _sub(channel, "itunes:summary", show.description)
    _sub(channel, "podcast:guid", guid)
    _sub(channel, "podcast:locked", "yes" if show.feed_locked else "no", owner=show.owner_email)
    for episode in data.episodes:
        item = _sub(channel, "item")
        _sub(item, "title", episode.title)
        _sub(item, "link", urls.page(episode))
        _sub(item, "description", episode.summary)
        notes = clean_show_notes(expand_db_html(episode.show_notes), base_url=base_url)
        if notes:
            _sub(item, "content:encoded", notes)
        _sub(item, "guid", str(episode.enclosure_uuid), isPermaLink="false")
        _sub(item, "pubDate", _date(episode.publication_date))
        _sub(
            item,
            "enclosure",
            url=urls.enclosure(episode),
            length=episode.audio_size,
            type=episode.audio_mime_type,
        )
        _sub(item, "itunes:title", episode.title)
        _sub(item, "itunes:duration", episode.audio_duration)
        _sub(item, "itunes:episodeType", episode.episode_type)
        if episode.episode_number:
            _sub(item, "itunes:episode", episode.episode_number)
        if episode.season:
            _sub(item, "itunes:season", episode.season)
        _sub(item, "itunes:explicit", "true" if show.explicit else "false")
        if episode.transcript_id and episode.transcript_type:
            attrs = {
                "url": urls.document(episode.transcript),
                "type": episode.transcript_mime_type,
                "language": show.language,
            }
            if episode.transcript_type == "vtt":
                attrs["rel"] = "captions"  # timed, usable as closed captions
            _sub(item, "podcast:transcript", **attrs)
        if episode.chapters_id:
            _sub(
                item,
                "podcast:chapters",
                url=urls.document(episode.chapters),
                type="application/json+chapters",
            )
        for guest in episode.guest_list:
            _sub(item, "podcast:person", guest, role="guest")
    ET.indent(rss)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(rss, encoding="utf-8")
