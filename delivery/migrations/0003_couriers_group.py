"""The couriers' group: the role of the town's delivery service."""

from django.db import migrations

GROUP = "Livreurs"  # delivery.models.COURIERS_GROUP, frozen here


def group_create(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name=GROUP)


def group_delete(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("delivery", "0002_couriers_rounds"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(group_create, group_delete)]
