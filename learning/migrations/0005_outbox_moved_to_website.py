"""The durable outbox moves to website (website.mail). Every row goes along with its id,
so e-mails still pending are delivered (tasks queued before the move carry the id and
name ``learning.tasks.deliver_email``, which stays), and the id sequence continues
after the highest copied id. Reversible: going back copies the rows the other way."""

from django.core.management.color import no_style
from django.db import migrations

FIELDS = [
    "id",
    "to",
    "subject",
    "text",
    "html",
    "ics",
    "status",
    "attempts",
    "next_attempt_at",
    "last_error",
    "created_at",
    "sent_at",
]


def _copy(source, target, schema_editor):
    batch = []
    for row in source.objects.order_by("pk").iterator(chunk_size=500):
        batch.append(target(**{name: getattr(row, name) for name in FIELDS}))
        if len(batch) == 500:
            target.objects.bulk_create(batch)
            batch = []
    target.objects.bulk_create(batch)
    # Rows came with their ids: continue the sequence after them (PostgreSQL; SQLite
    # takes the highest id by itself).
    connection = schema_editor.connection
    for sql in connection.ops.sequence_reset_sql(no_style(), [target]):
        schema_editor.execute(sql)


def forwards(apps, schema_editor):
    _copy(
        apps.get_model("learning", "OutboxEmail"),
        apps.get_model("website", "OutboxEmail"),
        schema_editor,
    )


def backwards(apps, schema_editor):
    _copy(
        apps.get_model("website", "OutboxEmail"),
        apps.get_model("learning", "OutboxEmail"),
        schema_editor,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0004_one_content_stamp"),
        ("website", "0005_outbox"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.DeleteModel(name="OutboxEmail"),
    ]
