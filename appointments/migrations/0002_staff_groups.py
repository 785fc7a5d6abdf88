"""Appointments for the admissions desk: managers view, add and change every slot and
booking; representatives open and change their own slots (the admin shows each only theirs)
and see the bookings on them. Deleting is left to superusers: cancelling is the way out.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

REPRESENTATIVE = "Admissions representative"
MANAGER = "Admissions manager"
GRANTS = {
    MANAGER: ("view_slot", "add_slot", "change_slot", "view_booking", "change_booking"),
    REPRESENTATIVE: ("view_slot", "add_slot", "change_slot", "view_booking", "change_booking"),
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("appointments")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="appointments", codename__in=codenames
            )
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="appointments")
    for group in Group.objects.filter(name__in=GRANTS):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("inquiries", "0004_staff_groups"),
        ("appointments", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
