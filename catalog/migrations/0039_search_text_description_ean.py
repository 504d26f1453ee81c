"""The search text now holds the EAN and the start of the description too (catalog.services):
recomputed for every product, so both databases search the same words."""

from django.db import migrations


def refresh(apps, schema_editor):
    from catalog.services import product_search_refresh

    product_search_refresh()


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0038_search_synonyms_defaults")]
    operations = [migrations.RunPython(refresh, migrations.RunPython.noop)]
