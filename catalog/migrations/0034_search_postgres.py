"""PostgreSQL-only search machinery: the unaccent and pg_trgm extensions and the indexes.

On SQLite it does nothing. The columns are filled by catalog.services.product_search_refresh.
"""

from django.db import migrations

POSTGRES_UP = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS product_search_vector_gin"
    " ON catalogue_product USING gin (search_vector)",
    "CREATE INDEX IF NOT EXISTS product_search_text_trgm"
    " ON catalogue_product USING gin (search_text gin_trgm_ops)",
]
POSTGRES_DOWN = [
    "DROP INDEX IF EXISTS product_search_text_trgm",
    "DROP INDEX IF EXISTS product_search_vector_gin",
]


def up(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_UP:
            schema_editor.execute(statement)


def down(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_DOWN:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0033_product_search_fields")]

    operations = [migrations.RunPython(up, down)]
