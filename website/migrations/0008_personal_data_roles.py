"""Coordinators and the Beheerder find, export and erase a person's data (issue 14)."""

from django.db import migrations

from website import roles

PERMISSIONS = [
    "website.manage_personal_data",
]


def forwards(apps, schema_editor):
    roles.grant(apps, roles.COORDINATOR, PERMISSIONS)
    roles.grant(apps, roles.BEHEERDER, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("website", "0007_personal_data_requests")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
