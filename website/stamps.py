"""The content stamps: database counters that change whenever anything a public page
shows changes. Cache keys carry them, so all app servers drop old copies at once without
a shared cache purge. One indexed query reads both.

Two counters, so that the most frequent change does not throw away what it cannot touch:

- ``content`` (``current()``): pages, snippets, settings, media, tags, sites and view
  restrictions. Everything cached keys on it: routes, pages, site settings, reference
  data and every rendered page or fragment.
- ``facts`` (``facts()``): what apps count and pages show of it, such as places left
  after a registration. Only rendered output keys on it (``website.routing.stamp_for``):
  a registration re-renders the pages, not the routes, the site, the layout or the
  reference data behind them.

Every change moves its counter after the commit of the transaction that made the
change, once per transaction however many changes it made (``bump``), so no request
transaction (a registration, a publish) ever holds or waits for the site-wide row. The
move itself does not wait either: on PostgreSQL a row another bump holds at that moment
is moving anyway (``SKIP LOCKED``), and that bump commits after our change did.
"""

from __future__ import annotations

import functools
import secrets
from contextlib import suppress

from asgiref.local import Local
from django.apps import apps
from django.core.signals import request_finished, request_started
from django.db import DatabaseError, connections, router, transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from taggit.models import Tag
from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import (
    CollectionViewRestriction,
    Page,
    PageViewRestriction,
    Site,
    get_page_models,
)
from wagtail.signals import page_published, page_unpublished, post_page_move
from wagtail.snippets.models import get_snippet_models

from website.models.stamps import ContentStamp  # not the package: models.pages imports us
from website.queries import Prepared

NAME = "content"
FACTS = "facts"


# Within one request the stamps are read once (every cache key of the request carries
# the same versions, so a page never mixes fragments of two versions); a bump in the
# request itself forgets them. Outside requests (commands, workers, tests) every call
# reads.
_request = Local()


def current() -> int:
    """The content counter: pages, snippets, settings, media (see the module)."""
    return _versions()[NAME]


def facts() -> int:
    """The facts counter: what apps count and pages show (see the module)."""
    return _versions()[FACTS]


# Both counters in one read, compiled once (website.queries).
_VERSIONS = Prepared(
    lambda: ContentStamp.objects.filter(name__in=[NAME, FACTS]).values_list("name", "version"),
    (),
)


def _versions() -> dict[str, int]:
    """Both counters, read with one prepared statement: every page-cache hit pays for
    this read, and building it through the ORM cost more than running it."""
    found = getattr(_request, "versions", None)
    if found is not None:
        return found
    found = dict(_VERSIONS(using=router.db_for_read(ContentStamp)))
    for name in (NAME, FACTS):
        if name not in found:
            found[name] = _create(name)
    if getattr(_request, "active", False):
        _request.versions = found
    return found


def _request_started(**kwargs) -> None:
    _request.active, _request.versions = True, None


def _request_finished(**kwargs) -> None:
    _request.active, _request.versions = False, None


def bump(name: str = NAME) -> None:
    """Content (or, with ``FACTS``, facts) changed: move the counter after the current
    transaction commits (at once outside a transaction), at most once per transaction."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        bump_now(name)
    elif not any(entry[1] is _AFTER_COMMIT[name] for entry in connection.run_on_commit):
        # robust: a failing bump is logged and never turns a committed change into an error
        transaction.on_commit(_AFTER_COMMIT[name], robust=True)


def bump_now(name: str = NAME) -> None:
    """Move the counter now, in a short transaction of its own that never waits (SQLite:
    one UPDATE statement, which is its own transaction, holding the database's single
    write lock only for that statement)."""
    _request.versions = None  # this request sees its own change
    if connections[router.db_for_write(ContentStamp)].vendor == "sqlite":
        if not ContentStamp.objects.filter(name=name).update(version=F("version") + 1):
            _create(name)
        return
    with transaction.atomic():
        free = list(
            ContentStamp.objects.select_for_update(skip_locked=True)
            .filter(name=name)
            .values_list("pk", flat=True)
        )
        if free:
            ContentStamp.objects.filter(pk__in=free).update(version=F("version") + 1)
            return
    if not ContentStamp.objects.filter(name=name).exists():  # else: another bump holds it
        _create(name)


# One callable per counter, so that a transaction queues each move once.
_AFTER_COMMIT = {NAME: functools.partial(bump_now, NAME), FACTS: functools.partial(bump_now, FACTS)}


def _create(name: str) -> int:
    """A new counter starts at a random value, so a recreated row (an emptied table, a
    fresh database next to an old cache) never meets cache entries of an earlier life."""

    row, _ = ContentStamp.objects.get_or_create(
        name=name, defaults={"version": secrets.randbits(48)}
    )
    return row.version


_watched: frozenset | None = None


def watched_models() -> frozenset:
    """Models whose saves change what public pages show: every page type, snippet and
    setting, images, documents, sites and tags. Computed once, after the app registry
    is ready. Apps bump for their own facts (e.g. registrations) through
    ``bump(FACTS)``."""
    global _watched
    if _watched is None:
        models = {Page, Site, Tag, get_image_model(), get_document_model()}
        models.update({PageViewRestriction, CollectionViewRestriction})
        models.update(get_page_models())
        models.update(get_snippet_models())
        models.update(
            m for m in apps.get_models() if issubclass(m, BaseSiteSetting | BaseGenericSetting)
        )
        _watched = frozenset(models)
    return _watched


def _on_model_change(sender, **kwargs):
    # Fixture loading (raw saves) changes content too: bump for it as well.
    if sender in watched_models():
        bump()


def _on_migrate(sender, **kwargs):
    """Data migrations write with update() or SQL, without model signals: after
    ``migrate`` every cached copy is stale."""

    # No row yet: it is created on first use, with a random start. DatabaseError: the
    # database was migrated backwards past the stamp's table.
    with suppress(DatabaseError):
        ContentStamp.objects.using(kwargs.get("using") or "default").filter(name=NAME).update(
            version=F("version") + 1
        )


def _on_publication(sender, **kwargs):
    bump()


def connect() -> None:
    request_started.connect(_request_started, dispatch_uid="website-stamp-request-started")
    request_finished.connect(_request_finished, dispatch_uid="website-stamp-request-finished")
    post_save.connect(_on_model_change, dispatch_uid="website-stamp-save")
    post_delete.connect(_on_model_change, dispatch_uid="website-stamp-delete")
    m2m_changed.connect(_on_m2m_change, dispatch_uid="website-stamp-m2m")
    page_published.connect(_on_publication, dispatch_uid="website-stamp-publish")
    page_unpublished.connect(_on_publication, dispatch_uid="website-stamp-unpublish")
    post_page_move.connect(_on_publication, dispatch_uid="website-stamp-move")
    # once per migrate run: after the last app (ours) has migrated
    post_migrate.connect(
        _on_migrate, sender=apps.get_app_config("website"), dispatch_uid="website-stamp-migrate"
    )


def _on_m2m_change(sender, instance, action, **kwargs):
    if action.startswith("post_") and type(instance) in watched_models():
        bump()
