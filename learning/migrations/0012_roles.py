"""Learning's share of the roles (issue 14): what coordinators and trainers may do, page
rights on the training catalogue, and everything for the Beheerder."""

from django.db import migrations

from website import roles

COORDINATOR = [
    "learning.add_registration",
    "learning.change_registration",
    "learning.delete_registration",
    "learning.view_registration",
    "learning.view_participant_data",
    "learning.export_registrations",
    "learning.mark_attendance",
    "learning.change_session",
    "learning.view_session",
    "learning.view_evaluation",
    "learning.change_organisation",
    "learning.view_organisation",
    "learning.add_trainingrequest",
    "learning.change_trainingrequest",
    "learning.delete_trainingrequest",
]
TRAINER = ["learning.lead_sessions"]


def forwards(apps, schema_editor):
    roles.grant(apps, roles.COORDINATOR, COORDINATOR)
    roles.grant(apps, roles.TRAINER, TRAINER)
    roles.grant_app(apps, roles.BEHEERDER, "learning")
    TrainingIndexPage = apps.get_model("learning", "TrainingIndexPage")
    for page_id in TrainingIndexPage.objects.values_list("pk", flat=True):
        roles.grant_pages(apps, roles.COORDINATOR, page_id, roles.EDITOR_PAGE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0011_session_trainers_and_permissions"),
        ("website", "0006_roles"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
