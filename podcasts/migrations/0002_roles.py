"""Podcasts' share of the roles (issue 14): the download report for those who report on
reach; everything for the Beheerder."""

from django.db import migrations

from website import roles


def forwards(apps, schema_editor):
    for name in (roles.COMMUNICATIE, roles.COORDINATOR, roles.ANALIST):
        roles.grant(apps, name, ["podcasts.view_downloadcount"])
    roles.grant_app(apps, roles.BEHEERDER, "podcasts")


class Migration(migrations.Migration):
    dependencies = [
        ("podcasts", "0001_initial"),
        ("website", "0006_roles"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
