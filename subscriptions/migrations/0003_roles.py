"""Subscriptions' share of the roles (issue 14): Communicatie decides about mailings
(``0002_editors``); the Beheerder holds every permission of the app."""

from django.db import migrations

from website import roles


def forwards(apps, schema_editor):
    roles.grant(apps, roles.COMMUNICATIE, ["subscriptions.change_mailing", "subscriptions.view_mailing"])
    roles.grant_app(apps, roles.BEHEERDER, "subscriptions")


class Migration(migrations.Migration):
    dependencies = [
        ("subscriptions", "0002_editors"),
        ("website", "0006_roles"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
