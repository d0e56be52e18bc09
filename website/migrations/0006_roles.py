"""The six roles as Wagtail groups, with Wagtail's own permissions (issue 14).

Apps grant their own permissions to these groups in their own data migrations.
Wagtail's default "Editors" and "Moderators" groups give page rights over the whole site;
they are removed when nobody is in them, and the default approval task goes to
Communicatie (the editors who publish).
"""

from django.db import migrations

from website import roles

DOCUMENTS_AND_IMAGES = [
    "wagtaildocs.add_document",
    "wagtaildocs.change_document",
    "wagtaildocs.delete_document",
    "wagtaildocs.choose_document",
    "wagtailimages.add_image",
    "wagtailimages.change_image",
    "wagtailimages.delete_image",
    "wagtailimages.choose_image",
]
ADD_AND_CHOOSE = [
    "wagtaildocs.add_document",
    "wagtaildocs.choose_document",
    "wagtailimages.add_image",
    "wagtailimages.choose_image",
]
COLLECTIONS = [
    "wagtailcore.add_collection",
    "wagtailcore.change_collection",
    "wagtailcore.delete_collection",
]
BEHEERDER_APPS = [
    "auth",
    "wagtailcore",
    "wagtailadmin",
    "wagtailredirects",
    "wagtailsearchpromotions",
    "wagtailforms",
    "wagtailusers",
    "website",
    "taggit",
]
DEFAULT_GROUPS = ["Editors", "Moderators"]


def forwards(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Group = apps.get_model("auth", "Group")
    for name in roles.ROLES:
        roles.group(apps, name)
    root = Page.objects.filter(depth=1).first()
    staff = [roles.COMMUNICATIE, roles.COORDINATOR, roles.TRAINER, roles.ANALIST, roles.BEHEERDER]
    for name in staff:
        roles.grant(apps, name, ["wagtailadmin.access_admin"])

    # Communicatie: the site's editors (pages, documents, images, navigation and footer,
    # redirects, promoted search results); no per-person data.
    roles.grant(
        apps,
        roles.COMMUNICATIE,
        [
            "website.change_sitesettings",
            "wagtailredirects.add_redirect",
            "wagtailredirects.change_redirect",
            "wagtailredirects.delete_redirect",
            "wagtailsearchpromotions.add_searchpromotion",
            "wagtailsearchpromotions.change_searchpromotion",
            "wagtailsearchpromotions.delete_searchpromotion",
        ],
    )
    roles.grant_collection(apps, roles.COMMUNICATIE, DOCUMENTS_AND_IMAGES)
    # Coördinator: documents and images for training pages (page rights on the training
    # catalogue come from learning's migration).
    roles.grant_collection(apps, roles.COORDINATOR, ADD_AND_CHOOSE)

    # Beheerder: everything, including users, groups, sites, workflows and reference data.
    for label in BEHEERDER_APPS:
        roles.grant_app(apps, roles.BEHEERDER, label)
    roles.grant_collection(apps, roles.BEHEERDER, [*DOCUMENTS_AND_IMAGES, *COLLECTIONS])

    if root is not None:
        roles.grant_pages(apps, roles.COMMUNICATIE, root.pk, roles.EDITOR_PAGE_PERMISSIONS)
        roles.grant_pages(apps, roles.BEHEERDER, root.pk, roles.ALL_PAGE_PERMISSIONS)

    communicatie = Group.objects.get(name=roles.COMMUNICATIE)
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    for task in GroupApprovalTask.objects.filter(groups__name__in=DEFAULT_GROUPS).distinct():
        task.groups.add(communicatie)
    for old in Group.objects.filter(name__in=DEFAULT_GROUPS, user__isnull=True):
        old.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("website", "0005_outbox"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailimages", "0027_image_description"),
        ("wagtailredirects", "0008_add_verbose_name_plural"),
        ("wagtailsearchpromotions", "0008_query_verbose_name"),
        ("wagtailforms", "0005_alter_formsubmission_form_data"),
        ("wagtailusers", "0015_userprofile_keyboard_shortcuts"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
