from django.db import migrations, models


def first_row(apps, schema_editor):
    apps.get_model("catalogue", "ContentVersion").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0041_productimage_renditions")]

    operations = [
        migrations.CreateModel(
            name="ContentVersion",
            fields=[
                ("id", models.AutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("value", models.BigIntegerField(default=0, verbose_name="Version")),
            ],
            options={
                "verbose_name": "Version du contenu public",
                "verbose_name_plural": "Version du contenu public",
            },
        ),
        migrations.RunPython(first_row, migrations.RunPython.noop),
    ]
