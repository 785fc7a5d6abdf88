"""Content editors edit the new disclosure rows (cost lines, credential routes, outcomes).

The staff groups were made by an earlier migration of the inquiries app from the models of
that time; a model added later is granted here, as that migration asks.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CONTENT_EDITOR = "Content editor"
MODELS = ["costitem", "credentialroute", "outcome"]
ACTIONS = ("add", "change", "delete", "view")


def grant(apps, schema_editor):
    app_config = apps.get_app_config("programs")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=CONTENT_EDITOR)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="programs",
            codename__in=[f"{action}_{model}" for model in MODELS for action in ACTIONS],
        )
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=CONTENT_EDITOR).first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="programs", content_type__model__in=MODELS
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("programs", "0002_decision_facts_and_contact"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
