"""The three staff groups, with exactly the permissions the README describes.

Permissions are normally created after `migrate` finishes (post_migrate), so they are
created here first for the apps involved; otherwise a fresh database would get empty groups.
A model added later to roles or programs needs a migration granting it to "Content editor".
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

REPRESENTATIVE = "Admissions representative"
MANAGER = "Admissions manager"
CONTENT_EDITOR = "Content editor"

ACTIONS = ("add", "change", "delete", "view")


def _every_permission(apps, app_label, model_names=None):
    """(app_label, codename) pairs for every default permission of the app's models."""
    Permission = apps.get_model("auth", "Permission")
    models = apps.get_app_config(app_label).get_models()
    names = [m._meta.model_name for m in models if model_names is None or m._meta.model_name in model_names]
    pairs = [(app_label, f"{action}_{name}") for name in names for action in ACTIONS]
    # Custom permissions (Meta.permissions) of the same models.
    custom = Permission.objects.filter(
        content_type__app_label=app_label, content_type__model__in=names
    ).values_list("codename", flat=True)
    return sorted(set(pairs) | {(app_label, codename) for codename in custom})


def _permissions(apps, pairs):
    Permission = apps.get_model("auth", "Permission")
    found = []
    for app_label, codename in pairs:
        found.append(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return found


def create_groups(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    definitions = {
        REPRESENTATIVE: [
            ("inquiries", "view_inquiry"),
            ("inquiries", "change_inquiry"),
            ("inquiries", "view_activity"),
            ("inquiries", "add_activity"),
        ],
        MANAGER: _every_permission(
            apps, "inquiries", ["inquiry", "activity", "coverage", "notification"]
        ),
        CONTENT_EDITOR: (
            _every_permission(apps, "roles")
            + _every_permission(apps, "programs")
            + _every_permission(apps, "flatpages", ["flatpage"])
        ),
    }
    for name, pairs in definitions.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(_permissions(apps, pairs))


def delete_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name__in=[REPRESENTATIVE, MANAGER, CONTENT_EDITOR]).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("flatpages", "0001_initial"),
        ("programs", "0001_initial"),
        ("roles", "0001_initial"),
        ("inquiries", "0003_inquiry_permissions"),
    ]

    operations = [migrations.RunPython(create_groups, delete_groups)]
