"""Outreach's share of the roles (issue 14): reach figures (the dashboard panel) for those
who report on reach; everything for the Beheerder."""

from django.db import migrations

from website import roles


def forwards(apps, schema_editor):
    for name in (roles.COMMUNICATIE, roles.COORDINATOR, roles.ANALIST):
        roles.grant(apps, name, ["outreach.view_reachcount"])
    roles.grant_app(apps, roles.BEHEERDER, "outreach")


class Migration(migrations.Migration):
    dependencies = [
        ("outreach", "0003_reachcount_kind_day"),
        ("website", "0006_roles"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
