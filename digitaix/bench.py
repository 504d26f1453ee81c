"""What the benchmark adds to the portal, only when DIGITAIX_BENCH is on (never in production).

- `QueryCountMiddleware` puts the number of SQL queries a request ran in an `X-Bench-Queries`
  header, which bench/load.py prints beside each page's speed.
- `OscarProductView` serves a product with Oscar's own view and Oscar's own templates (the
  "oscar_plain" template engine, which sees only Oscar's template folder), so the bench can
  compare our product page with plain Oscar's on the same data in the same run.
"""

from django.db import connection
from oscar.apps.catalogue.views import ProductDetailView

HEADER = "X-Bench-Queries"


class QueryCountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = [0]

        def counted(execute, sql, params, many, context):
            count[0] += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counted):
            response = self.get_response(request)
            # A template response renders after the view: count its queries too.
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
        response[HEADER] = str(count[0])
        return response


class OscarProductView(ProductDetailView):
    """Oscar's stock product page; its URL has no slug check (bench only)."""

    template_engine = "oscar_plain"
    enforce_paths = False
