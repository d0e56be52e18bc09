"""Organisations: one per real organisation, whatever the spelling (issue 11 item 2,
issue 13 item 6).

- ``key``: the name folded for comparison (case, accents, spacing, punctuation, "&",
  abbreviations such as "Gem."), unique. Existing spellings of one organisation
  ("Stichting Anders", "stichting  anders", "Gem. Zaanstad" / "Gemeente Zaanstad") are
  folded together here: the registrations move to the one kept (checked first, then the
  one with most registrations, then the oldest); it is checked if any of them was.
- ``sector`` and ``municipality``: filled for existing organisations with what most of
  their registrations said (coordinators correct them in the admin).
- ``merged_into`` / ``merged_at``: merged organisations stay as forwarding rows.
- ``DistinctOrganisations``: pairs a coordinator judged to be different organisations.

The folding function is a frozen copy of ``learning.services.organisations
.organisation_key`` as it was when this migration was written.
"""

import re
import unicodedata
from collections import Counter, defaultdict

import django.db.models.deletion
from django.db import migrations, models

ABBREVIATIONS = {
    "gem": "gemeente",
    "gmt": "gemeente",
    "stg": "stichting",
    "sticht": "stichting",
    "ver": "vereniging",
}
NON_WORD = re.compile(r"[\W_]+")


def organisation_key(name):
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", name).casefold())
    text = "".join(c for c in text if not unicodedata.combining(c)).replace("&", " en ")
    words = [ABBREVIATIONS.get(word, word) for word in NON_WORD.sub(" ", text).split()]
    return " ".join(words) or " ".join(name.casefold().split())


def fold(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # Moved registrations fire deferred foreign-key checks; check them now, so the
        # unique index below may alter the table in the same transaction.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    Organisation = apps.get_model("learning", "Organisation")
    Registration = apps.get_model("learning", "Registration")
    counts = Counter(Registration.objects.values_list("organisation_id", flat=True))
    groups = defaultdict(list)
    for organisation in Organisation.objects.order_by("pk"):
        groups[organisation_key(organisation.name)].append(organisation)
    for key, members in groups.items():
        members.sort(key=lambda o: (not o.verified, -counts[o.pk], o.pk))
        kept, others = members[0], members[1:]
        if others:
            other_ids = [o.pk for o in others]
            Registration.objects.filter(organisation_id__in=other_ids).update(organisation=kept)
            Organisation.objects.filter(pk__in=other_ids).delete()
        kept.key = key
        kept.name = " ".join(kept.name.split())[:200]
        kept.verified = any(o.verified for o in members)
        kept.save(update_fields=["key", "name", "verified"])
    # Sector and municipality: what most registrations from the organisation said.
    for field, target in (("target_group_id", "sector_id"), ("municipality_id", "municipality_id")):
        best = {}
        rows = (
            Registration.objects.exclude(**{f"{field}__isnull": True})
            .values_list("organisation_id", field)
            .annotate(n=models.Count("pk"))
            .order_by("organisation_id", "-n", field)
        )
        for organisation_id, value, _n in rows:
            best.setdefault(organisation_id, value)
        for organisation_id, value in best.items():
            Organisation.objects.filter(pk=organisation_id).update(**{target: value})


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0007_link_resent_at"),
        ("website", "0003_content_stamp"),
    ]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="key",
            field=models.CharField(
                editable=False, max_length=500, null=True, verbose_name="comparison key"
            ),
        ),
        migrations.AddField(
            model_name="organisation",
            name="merged_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="merged at"
            ),
        ),
        migrations.AddField(
            model_name="organisation",
            name="merged_into",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="merged",
                to="learning.organisation",
                verbose_name="merged into",
            ),
        ),
        migrations.AddField(
            model_name="organisation",
            name="municipality",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="website.municipality",
                verbose_name="municipality",
            ),
        ),
        migrations.AddField(
            model_name="organisation",
            name="sector",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="website.targetgroup",
                verbose_name="sector (target group)",
            ),
        ),
        migrations.AlterField(
            model_name="organisation",
            name="name",
            field=models.CharField(max_length=200, verbose_name="name"),
        ),
        migrations.CreateModel(
            name="DistinctOrganisations",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("decided_at", models.DateTimeField(verbose_name="decided at")),
                (
                    "first",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="learning.organisation",
                    ),
                ),
                (
                    "second",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="learning.organisation",
                    ),
                ),
            ],
            options={
                "verbose_name": "distinct organisations",
                "verbose_name_plural": "distinct organisations",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("first", "second"), name="distinct_organisations_pair"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("first__lt", models.F("second"))),
                        name="distinct_organisations_ordered",
                    ),
                ],
            },
        ),
        migrations.RunPython(fold, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="organisation",
            name="key",
            field=models.CharField(
                editable=False, max_length=500, unique=True, verbose_name="comparison key"
            ),
        ),
    ]
