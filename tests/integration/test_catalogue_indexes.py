"""Lists that do not slow down as the town grows (issue 15, §6): the catalogue's first page is
read from the (title, id) index, not by sorting every product."""

import pytest
from django.db import connection

from catalog import selectors
from tests.factories import product_offered

pytestmark = pytest.mark.postgres


def test_the_catalogue_page_is_read_in_title_order_from_its_index(on_postgres):
    for n in range(30):
        product_offered(title=f"Produit {n:02d}")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        # A tiny table sorts faster than it reads an index: with sorting priced out, the plan
        # avoids a sort only if an index gives the order.
        cursor.execute("SET enable_sort = off")
        sql, params = selectors.products_search()[:24].query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("RESET enable_sort")
    assert "product_title_id" in plan and "Sort" not in plan.split("product_title_id")[0], plan
