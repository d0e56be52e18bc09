"""Backup and restore (scripts/backup, docs/deployment.md), tried for real: back up the
database and the media folder, wipe both, restore, and find every row and file again."""

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import psycopg
import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Collection

from learning import services
from learning.factories import (
    PersonFactory,
    SessionFactory,
    TrainingIndexPageFactory,
    TrainingPageFactory,
)
from tests.ops.helpers import database_url

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
PDF = b"%PDF-1.4\n% een folder\n" + bytes(range(256)) * 64 + b"\n%%EOF\n"


def table_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 (our own names)
            counts[table] = cursor.fetchone()[0]
    return counts


def sequence_values() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT sequencename, last_value FROM pg_sequences")
        return dict(cursor.fetchall())


def wipe_database() -> None:
    """What a lost server leaves: the database dropped and created empty again."""
    name = connection.settings_dict["NAME"]
    connection.close()
    admin = database_url().rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as db:
        db.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        db.execute(f'CREATE DATABASE "{name}"')


def run(*args, env):
    result = subprocess.run(
        ["scripts/backup", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_back_up_wipe_restore_finds_every_row_and_media_file(site_home, settings, tmp_path):
    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    training = TrainingPageFactory(parent=TrainingIndexPageFactory(parent=site_home))
    session = SessionFactory(page=training, capacity=1)
    for n in range(3):  # one confirmed, two waiting, their e-mails in the outbox
        services.register(session_id=session.pk, person=PersonFactory(n=n), now=timezone.now())
    if Collection.get_first_root_node() is None:  # transactional tests start flushed
        Collection.add_root(name="Root")
    document = get_document_model().objects.create(
        title="Folder", file=ContentFile(PDF, name="folder.pdf")
    )
    media_file = media / document.file.name
    digest = hashlib.sha256(media_file.read_bytes()).hexdigest()
    counts, sequences = table_counts(), sequence_values()
    last_registration = max(session.registrations.values_list("pk", flat=True))
    assert counts["learning_registration"] == 3 and counts["wagtaildocs_document"] == 1

    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "MEDIA_ROOT": str(media),
        "DJANGO_SETTINGS_MODULE": "website.settings.test",
    }
    backup_set = Path(run("create", str(tmp_path / "backups"), env=env))
    assert sorted(p.name for p in backup_set.iterdir()) == [
        "SHA256SUMS",
        "database.dump",
        "media.tar.gz",
    ]

    wipe_database()
    shutil.rmtree(media)
    assert table_counts() == {}

    run("restore", str(backup_set), env=env)
    assert table_counts() == counts
    assert sequence_values() == sequences
    assert hashlib.sha256(media_file.read_bytes()).hexdigest() == digest
    # The site works on the restored data: a new registration gets the next number.
    result = services.register(session_id=session.pk, person=PersonFactory(n=9), now=timezone.now())
    assert result.registration.pk == last_registration + 1


def test_restore_refuses_a_damaged_backup(site_home, tmp_path):
    env = {**os.environ, "DATABASE_URL": database_url(), "MEDIA_ROOT": str(tmp_path / "media")}
    backup_set = Path(run("create", str(tmp_path / "backups"), env=env))
    counts = table_counts()
    with (backup_set / "database.dump").open("ab") as dump:
        dump.write(b"x")
    result = subprocess.run(
        ["scripts/backup", "restore", str(backup_set)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode != 0
    assert "FAILED" in result.stdout + result.stderr
    assert table_counts() == counts  # nothing touched
