"""The daily salt and visitor marks move to the shared counting layer in website
(website.counting). Today's salt goes along, so podcast listeners hashed earlier today
are still recognised after the deploy; the marks do not (page views are hashed with
their scope and network now, so today's old marks could not match anyway)."""

from django.db import migrations


def copy_salts(apps, schema_editor):
    old = apps.get_model("outreach", "DailySalt")
    new = apps.get_model("website", "DailySalt")
    for row in old.objects.all():
        new.objects.get_or_create(day=row.day, defaults={"salt": row.salt})


class Migration(migrations.Migration):
    dependencies = [
        ("outreach", "0001_initial"),
        ("website", "0004_counting"),
    ]

    operations = [
        migrations.RunPython(copy_salts, migrations.RunPython.noop),
        migrations.DeleteModel(name="DailySalt"),
        migrations.DeleteModel(name="VisitorMark"),
    ]
