"""Visits for the admissions desk: managers view, add and change events and registrations;
representatives view them. (Deleting is left to superusers: cancelling is the way out.)

Permissions are normally created after `migrate` finishes, so they are created here first,
as in inquiries/migrations/0004_staff_groups.py.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

REPRESENTATIVE = "Admissions representative"
MANAGER = "Admissions manager"
MODELS = ("event", "registration")
GRANTS = {MANAGER: ("view", "add", "change"), REPRESENTATIVE: ("view",)}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("visits")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, actions in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=name)
        codenames = [f"{action}_{model}" for model in MODELS for action in actions]
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="visits", codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="visits")
    for group in Group.objects.filter(name__in=GRANTS):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("inquiries", "0004_staff_groups"),
        ("visits", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
