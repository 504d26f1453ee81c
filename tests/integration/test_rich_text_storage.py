"""Rich text is cleaned on every way into the database, whoever writes it."""

import pytest
from django.db import connection
from oscar.core.loading import get_model

from tests.factories import ProductFactory, category_create

pytestmark = pytest.mark.django_db

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")

PAYLOAD = '<p onclick="alert(1)">Tomme</p><script>alert(1)</script><img src=x onerror=alert(2)>'
CLEAN = "<p>Tomme</p>"


def stored(model, pk: int, column: str = "description") -> str:
    """The column as the database holds it, read around the ORM."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {model._meta.db_table} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_save_stores_and_keeps_the_cleaned_description():
    product = ProductFactory(description=PAYLOAD)
    assert product.description == CLEAN
    assert stored(Product, product.pk) == CLEAN


def test_bulk_create_bulk_update_and_update_clean_too():
    (created,) = Product.objects.bulk_create(
        [Product(title="A", slug="a", structure="standalone", description=PAYLOAD)]
    )
    pk = created.pk or Product.objects.get(slug="a").pk
    assert stored(Product, pk) == CLEAN
    product = Product.objects.get(pk=pk)
    product.description = PAYLOAD + "<b>bis</b>"
    Product.objects.bulk_update([product], ["description"])
    assert stored(Product, pk) == CLEAN + "<b>bis</b>"
    Product.objects.filter(pk=pk).update(description=PAYLOAD)
    assert stored(Product, pk) == CLEAN


def test_category_descriptions_are_cleaned():
    category = category_create("Crèmerie")
    category.description = PAYLOAD
    category.long_description = PAYLOAD
    category.save()
    assert stored(Category, category.pk) == CLEAN
    assert stored(Category, category.pk, "long_description") == CLEAN


def test_the_data_migration_cleans_rows_written_before_the_sanitiser():
    from importlib import import_module

    from django.apps import apps

    migration = import_module("catalog.migrations.0036_rich_text_cleaned")
    product = ProductFactory(description="ok")
    category = category_create("Crèmerie")
    with connection.cursor() as cursor:  # as an old row holds it: written around the field
        cursor.execute("UPDATE catalogue_product SET description = %s", [PAYLOAD])
        cursor.execute("UPDATE catalogue_category SET long_description = %s", [PAYLOAD])
    migration.clean_existing_rich_text(apps, None)
    assert stored(Product, product.pk) == CLEAN
    assert stored(Category, category.pk, "long_description") == CLEAN


def test_the_meta_description_is_plain_text_with_no_entities():
    product = ProductFactory(description="<p>Tomme &amp; <b>Beaufort</b></p>")
    assert product.get_meta_description() == "Tomme & Beaufort"
