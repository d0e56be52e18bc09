"""Communications staff (group "Communicatie", found or created by name: the roles of the
whole platform may create it too) decide about mailings and see the subscriber counts.
Permissions are only added here; revoking removes only ours."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Communicatie"
CODENAMES = ["change_mailing", "view_mailing"]


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; create ours now.
    config = apps.get_app_config("subscriptions")
    stub = getattr(config, "models_module", None) is None  # a migration state's stand-in
    if stub:
        config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    if stub:
        del config.models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.get_or_create(name=GROUP)[0]
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="subscriptions", codename__in=CODENAMES
        ),
        *Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin"),
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name=GROUP):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="subscriptions", codename__in=CODENAMES
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("subscriptions", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
