"""Fewer statistics on the products' search vector (PostgreSQL only).

Planning a prefix search ("fro:*", the type-ahead) walks every most-common element PostgreSQL
keeps for the column: 1,000 by default, about 2 ms of each type-ahead request's 8. Ten keep
the estimates good enough to choose between the GIN index and a scan, for a fraction of the
planning time (bench/README.md, typeahead-cold).
"""

from django.db import migrations

STATISTICS = 10


def fewer_statistics(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = apps.get_model("catalogue", "Product")._meta.db_table
    quoted = schema_editor.quote_name(table)
    schema_editor.execute(
        f"ALTER TABLE {quoted} ALTER COLUMN search_vector SET STATISTICS {STATISTICS}"
    )
    schema_editor.execute(f"ANALYZE {quoted}")


def default_statistics(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("catalogue", "Product")._meta.db_table)
    schema_editor.execute(f"ALTER TABLE {table} ALTER COLUMN search_vector SET STATISTICS -1")


class Migration(migrations.Migration):
    atomic = False  # ANALYZE may not run in a transaction block on older servers

    dependencies = [("catalogue", "0042_contentversion")]

    operations = [migrations.RunPython(fewer_statistics, default_statistics)]
