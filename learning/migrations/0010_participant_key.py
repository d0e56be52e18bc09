"""A surrogate person key on every registration, so unique participants can be counted
after anonymisation. Existing registrations get the key of their address; already
anonymised ones (address gone) get a key each: the best count still possible. An index
covers what the reach report counts per session."""

import hashlib

import django.db.models.deletion
from django.db import migrations, models


def digest(email: str) -> str:
    # As learning.services.participants.digest (copied: migrations keep their own code).
    return hashlib.sha256(email.strip().casefold().encode()).hexdigest()


def backfill(apps, schema_editor):
    Registration = apps.get_model("learning", "Registration")
    ParticipantKey = apps.get_model("learning", "ParticipantKey")
    keys = {}
    rows = Registration.objects.filter(person__isnull=True).values_list(
        "pk", "created_at", "participant__email"
    )
    for pk, created_at, email in rows.order_by("created_at", "pk").iterator():
        if email:
            found = keys.get(digest(email))
            if found is None:
                found = ParticipantKey.objects.create(digest=digest(email), created_at=created_at)
                keys[found.digest] = found
        else:
            found = ParticipantKey.objects.create(digest=None, created_at=created_at)
        Registration.objects.filter(pk=pk).update(person=found)


class Migration(migrations.Migration):

    dependencies = [
        ('learning', '0009_in_company_sessions'),
    ]

    operations = [
        migrations.CreateModel(
            name='ParticipantKey',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('digest', models.CharField(blank=True, editable=False, max_length=64, null=True, unique=True)),
                ('created_at', models.DateTimeField(verbose_name='created at')),
            ],
            options={
                'verbose_name': 'participant key',
                'verbose_name_plural': 'participant keys',
            },
        ),
        migrations.AddField(
            model_name='registration',
            name='person',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='registrations', to='learning.participantkey', verbose_name='person'),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="registration",
            index=models.Index(
                fields=[
                    "session",
                    "status",
                    "attendance",
                    "target_group",
                    "municipality",
                    "organisation",
                    "person",
                ],
                name="learning_reg_report_idx",
            ),
        ),
    ]
