"""Organisations get a "checked" flag; only checked ones are suggested publicly.

Marked as checked now: the reference/demo organisations, and organisations that at
least two different people (distinct e-mail addresses) registered from. Everything
else (one visitor's free text, such as "x") stays unchecked until a coordinator
checks it.
"""

from django.db import migrations, models
from django.db.models import Count
from django.db.models.functions import Lower

REFERENCE = ["Gemeente Haarlem", "GGD Kennemerland", "COA", "Politie Noord-Holland"]


def mark_known(apps, schema_editor):
    Organisation = apps.get_model("learning", "Organisation")
    Organisation.objects.filter(name__in=REFERENCE).update(verified=True)
    shared = (
        Organisation.objects.filter(registrations__participant__anonymised_at__isnull=True)
        .exclude(registrations__participant__email="")
        .annotate(
            people=Count(Lower("registrations__participant__email"), distinct=True)
        )
        .filter(people__gte=2)
        .values_list("pk", flat=True)
    )
    Organisation.objects.filter(pk__in=list(shared)).update(verified=True)


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0002_aftercare"),
    ]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="verified",
            field=models.BooleanField(
                default=False,
                help_text=(
                    "Checked by a coordinator as a real organisation; only checked "
                    "organisations are suggested on the public registration form."
                ),
                verbose_name="checked",
            ),
        ),
        migrations.RunPython(mark_known, migrations.RunPython.noop),
    ]
