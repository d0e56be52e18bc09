"""The content stamp moves after the commit, once per transaction, and never waits for
its row (real commits: these tests run with transaction=True)."""

import threading
import time

import pytest
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag

from website import stamps

pytestmark = pytest.mark.django_db(transaction=True)


def stamp_queries(ctx):
    return [q["sql"] for q in ctx.captured_queries if "website_contentstamp" in q["sql"]]


def test_a_transaction_moves_the_stamp_once_after_its_commit():
    before = stamps.current()
    with CaptureQueriesContext(connection) as ctx, transaction.atomic():
        for n in range(3):
            Tag.objects.create(name=f"Thema {n}", slug=f"thema-{n}")
        assert stamp_queries(ctx) == []  # nothing inside the transaction
        assert stamps.current() == before
    assert stamps.current() == before + 1
    updates = [sql for sql in stamp_queries(ctx) if sql.startswith("UPDATE")]
    assert len(updates) == 1


def test_a_rolled_back_transaction_moves_nothing():
    before = stamps.current()
    with pytest.raises(RuntimeError), transaction.atomic():
        Tag.objects.create(name="Thema", slug="thema")
        raise RuntimeError("rolled back")
    assert stamps.current() == before


def test_a_change_outside_a_transaction_moves_it_at_once():
    before = stamps.current()
    Tag.objects.create(name="Thema", slug="thema")
    assert stamps.current() == before + 1


@pytest.mark.postgres
def test_a_bump_never_waits_for_a_row_someone_else_holds():
    stamps.current()  # the row exists
    locked, release = threading.Event(), threading.Event()

    def hold():
        other = connections.create_connection("default")
        try:
            with other.cursor() as cursor:
                cursor.execute("BEGIN")
                cursor.execute("SELECT id FROM website_contentstamp FOR UPDATE")
                locked.set()
                release.wait(10)
                cursor.execute("ROLLBACK")
        finally:
            other.close()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert locked.wait(5)
        started = time.monotonic()
        with transaction.atomic():
            Tag.objects.create(name="Thema", slug="thema")
        elapsed = time.monotonic() - started
    finally:
        release.set()
        holder.join()
    assert elapsed < 2, f"the commit's bump waited {elapsed:.1f} s for the stamp row"
