"""The six roles of the platform, as Wagtail groups.

Each group gets the least privilege its role needs. The groups are created by data
migrations: ``website`` creates all six and gives them Wagtail's own permissions (admin
access, pages, documents, images, settings, users); every app's own data migration grants
its app's permissions to the groups by name (``grant``), so ``website`` imports no app.
Administrators can change every permission afterwards in the admin's group editor.

The helpers take the migration's ``apps`` registry (historical models) and also work with
the live registry (``django.apps.apps``) outside migrations.
"""

from __future__ import annotations

import pkgutil
from collections.abc import Iterable
from importlib import import_module

from django.apps import apps as live_apps
from django.contrib.auth.management import create_permissions
from django.db.migrations import RunPython

COMMUNICATIE = "Communicatie"
COORDINATOR = "Coördinator"
TRAINER = "Trainer"
ANALIST = "Analist"
PARTNER = "Partner"
BEHEERDER = "Beheerder"
ROLES = (COMMUNICATIE, COORDINATOR, TRAINER, ANALIST, PARTNER, BEHEERDER)

# Everything but bulk delete: deleting a page with its children stays with the Beheerder.
EDITOR_PAGE_PERMISSIONS = (
    "add_page",
    "change_page",
    "publish_page",
    "lock_page",
    "unlock_page",
)
ALL_PAGE_PERMISSIONS = (*EDITOR_PAGE_PERMISSIONS, "bulk_delete_page")


def ensure_permissions(apps, app_labels: Iterable[str]) -> None:
    """Django creates permission rows after all migrations ran (post_migrate); a data
    migration on a fresh database creates the ones it grants itself."""
    for label in app_labels:
        app_config = apps.get_app_config(label)
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        try:
            create_permissions(app_config, verbosity=0, apps=apps)
        finally:
            app_config.models_module = models_module


def group(apps, name: str):
    Group = apps.get_model("auth", "Group")
    return Group.objects.get_or_create(name=name)[0]


def permissions(apps, names: Iterable[str]):
    """Permission rows for "app_label.codename" names; an unknown name is an error (a
    typo must not grant nothing silently)."""
    Permission = apps.get_model("auth", "Permission")
    names = sorted(set(names))
    ensure_permissions(apps, {name.split(".", 1)[0] for name in names})
    found = {}
    for perm in Permission.objects.filter(
        content_type__app_label__in={n.split(".", 1)[0] for n in names}
    ).select_related("content_type"):
        found[f"{perm.content_type.app_label}.{perm.codename}"] = perm
    missing = [name for name in names if name not in found]
    if missing:
        raise LookupError(f"Unknown permissions: {', '.join(missing)}")
    return [found[name] for name in names]


def grant(apps, group_name: str, names: Iterable[str]):
    """Give the group (created if missing) these "app_label.codename" permissions."""
    target = group(apps, group_name)
    target.permissions.add(*permissions(apps, names))
    return target


def grant_app(apps, group_name: str, app_label: str, *, exclude: Iterable[str] = ()):
    """Every permission of an app (the Beheerder's share of each app)."""
    ensure_permissions(apps, [app_label])
    Permission = apps.get_model("auth", "Permission")
    target = group(apps, group_name)
    target.permissions.add(
        *Permission.objects.filter(content_type__app_label=app_label).exclude(
            codename__in=list(exclude)
        )
    )
    return target


def grant_pages(apps, group_name: str, page_id: int, codenames: Iterable[str]) -> None:
    """Page permissions on a part of the tree (the page and everything below it)."""
    ensure_permissions(apps, ["wagtailcore"])
    Permission = apps.get_model("auth", "Permission")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    target = group(apps, group_name)
    for perm in Permission.objects.filter(
        content_type__app_label="wagtailcore",
        content_type__model="page",
        codename__in=list(codenames),
    ):
        GroupPagePermission.objects.get_or_create(group=target, page_id=page_id, permission=perm)


def grant_collection(apps, group_name: str, names: Iterable[str]) -> None:
    """Document and image permissions ("wagtaildocs.add_document", ...) on the root
    collection, so they hold for every collection."""
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    root = Collection.objects.filter(depth=1).first()
    if root is None:
        return
    target = group(apps, group_name)
    for perm in permissions(apps, names):
        GroupCollectionPermission.objects.get_or_create(
            group=target, collection_id=root.pk, permission=perm
        )


def run_role_migrations() -> None:
    """Run every app's ``*_roles`` data migration again (idempotent), website's first: for
    tests, whose database flushes empty the groups."""
    names = []
    for config in live_apps.get_app_configs():
        try:
            package = import_module(f"{config.name}.migrations")
        except ModuleNotFoundError:
            continue
        for info in pkgutil.iter_modules(package.__path__):
            if info.name.endswith("_roles"):
                names.append((config.label != "website", f"{config.name}.migrations.{info.name}"))
    for _later, name in sorted(names):
        for operation in import_module(name).Migration.operations:
            if isinstance(operation, RunPython):
                operation.code(live_apps, None)
