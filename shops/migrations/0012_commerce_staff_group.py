"""The town's commerce staff group, holding the permission to moderate shops and products."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Services commerce"  # shops.models.COMMERCE_STAFF_GROUP, frozen here


def group_create(apps, schema_editor):
    # Permissions are normally created after all migrations: make sure ours exists now.
    config = apps.get_app_config("partner")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(
        Permission.objects.get(codename="moderate_shops", content_type__app_label="partner")
    )


def group_delete(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("partner", "0011_merchant_dashboard"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(group_create, group_delete)]
