"""The Beheerder holds every permission of the regional picture too (roles, issue 14)."""

from django.db import migrations

from website import roles


def forwards(apps, schema_editor):
    roles.grant_app(apps, roles.BEHEERDER, "insights")


class Migration(migrations.Migration):
    dependencies = [
        ("insights", "0002_roles"),
        ("website", "0006_roles"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
