"""The groups of the regional picture, found or created by name (another migration
may create the same groups for the roles of the whole platform):

- Analist: the admin, and add/change/delete/view of periods, figures, local pictures;
- Partner: no permissions; the group that partners-only periods are restricted to;
- Coördinator: view permission on the same models (reads the figures).

Permissions are only ever added here, never removed or replaced."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ANALYST, PARTNER, COORDINATOR = "Analist", "Partner", "Coördinator"
MODELS = ("period", "housefigures", "localpicture")


def create(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    # Permissions are normally created after all migrations; create ours now.
    config = apps.get_app_config("insights")
    stub = getattr(config, "models_module", None) is None  # a migration state's stand-in
    if stub:
        config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    if stub:
        del config.models_module

    def permissions(codenames, app_label="insights"):
        return list(
            Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
        )

    access_admin = permissions(["access_admin"], "wagtailadmin")
    analyst, _ = Group.objects.get_or_create(name=ANALYST)
    analyst.permissions.add(
        *access_admin,
        *permissions([f"{a}_{m}" for m in MODELS for a in ("add", "change", "delete", "view")]),
    )
    Group.objects.get_or_create(name=PARTNER)
    coordinator, _ = Group.objects.get_or_create(name=COORDINATOR)
    coordinator.permissions.add(*access_admin, *permissions([f"view_{m}" for m in MODELS]))


class Migration(migrations.Migration):
    dependencies = [
        ("insights", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
