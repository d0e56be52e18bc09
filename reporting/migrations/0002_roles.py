"""Who may see the dashboard and the reach report and record targets and coverage: the
Coördinator and Beheerder groups (created here by name if the roles migration of
``website`` has not made them yet; ``get_or_create`` keeps both safe)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = ("Coördinator", "Beheerder")
CODENAMES = (
    "view_reports",
    *(
        f"{action}_{model}"
        for model in ("targetyear", "municipalityyear")
        for action in ("add", "change", "delete", "view")
    ),
)


def forwards(apps, schema_editor):
    config = apps.get_app_config("reporting")
    models_module = getattr(config, "models_module", None)
    config.models_module = models_module or True  # permissions exist before post_migrate
    try:
        create_permissions(config, verbosity=0, apps=apps)
    finally:
        config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = list(
        Permission.objects.filter(content_type__app_label="reporting", codename__in=CODENAMES)
    )
    assert len(permissions) == len(CODENAMES), "a reporting permission is missing"
    for name in GROUPS:
        Group.objects.get_or_create(name=name)[0].permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
