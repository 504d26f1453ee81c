"""A local fake of the part of WooCommerce's REST API (`/wp-json/wc/v3/`) that Digitaix uses.

It speaks the wire format: HTTP Basic authentication with a consumer key and secret (401
and WooCommerce's error body otherwise), `per_page`/`page` pagination with `X-WP-Total` and
`X-WP-TotalPages`, products and their variations, `PUT` of a product's or a variation's
`stock_quantity`. `faults` makes the next requests answer 429 (with `Retry-After`) or 5xx.
"""

import base64
import json
import math
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

KEY = "ck_digitaix_fake_key"
SECRET = "cs_digitaix_fake_secret"
_ROUTE = re.compile(r"^/wp-json/wc/v3/products(?:/(\d+)(?:/variations(?:/(\d+))?)?)?/?$")


class FakeWooCommerce:
    def __init__(self):
        self.products: dict[int, dict] = {}
        self.variations: dict[int, dict[int, dict]] = {}
        self.faults: list[int] = []  # statuses the next requests answer, in order
        self.requests: list[tuple[str, str]] = []
        self.puts: list[tuple[str, dict]] = []
        self.lock = threading.Lock()
        self._next_id = 100
        woo = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's name
                woo._answer(self, "GET")

            def do_PUT(self):  # noqa: N802
                woo._answer(self, "PUT")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # --- The shop's catalogue --------------------------------------------------------------

    def product(self, name: str, *, sku="", price="5.00", stock=10, ean="", **fields) -> int:
        self._next_id += 1
        self.products[self._next_id] = {
            "id": self._next_id, "name": name, "type": "simple", "sku": sku, "price": price,
            "manage_stock": stock is not None, "stock_quantity": stock,
            "stock_status": "instock" if stock is None or stock > 0 else "outofstock",
            "global_unique_id": ean, "meta_data": [], **fields,
        }  # fmt: skip
        return self._next_id

    def variable(self, name: str, variations: list[dict]) -> int:
        parent = self.product(name, stock=None, type="variable", price="")
        self.variations[parent] = {}
        for variation in variations:
            self._next_id += 1
            self.variations[parent][self._next_id] = {
                "id": self._next_id, "sku": "", "price": "5.00", "manage_stock": True,
                "stock_quantity": 0, "stock_status": "instock", "global_unique_id": "",
                "meta_data": [], "attributes": [], **variation,
            }  # fmt: skip
        return parent

    def stock_of(self, product_id: int, variation_id: int | None = None) -> int:
        row = (
            self.variations[product_id][variation_id] if variation_id else self.products[product_id]
        )
        return row["stock_quantity"]

    # --- The wire ----------------------------------------------------------------------------

    def _answer(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        parts = urlsplit(handler.path)
        with self.lock:
            self.requests.append((method, handler.path))
            fault = self.faults.pop(0) if self.faults else None
        if fault is not None:
            headers = {"Retry-After": "0"} if fault == 429 else {}
            return self._send(handler, fault, {"code": "busy", "message": "Try later"}, headers)
        if not self._authorized(handler.headers.get("Authorization", "")):
            return self._send(handler, 401, {
                "code": "woocommerce_rest_cannot_view",
                "message": "Sorry, you cannot list resources.", "data": {"status": 401},
            })  # fmt: skip
        match = _ROUTE.match(parts.path)
        if not match:
            return self._send(handler, 404, {"code": "rest_no_route", "message": "No route"})
        product_id, variation_id = (int(g) if g else None for g in match.groups())
        listing_variations = product_id and "/variations" in parts.path and not variation_id
        if method == "GET" and product_id is None:
            return self._page(handler, list(self.products.values()), parts.query)
        if method == "GET" and listing_variations:
            rows = list(self.variations.get(product_id, {}).values())
            return self._page(handler, rows, parts.query)
        row = (
            self.variations.get(product_id, {}).get(variation_id)
            if variation_id
            else self.products.get(product_id)
        )
        if row is None:
            return self._send(handler, 404, {"code": "woocommerce_rest_product_invalid_id"})
        if method == "PUT":
            length = int(handler.headers.get("Content-Length") or 0)
            body = json.loads(handler.rfile.read(length) or b"{}")
            with self.lock:
                self.puts.append((parts.path, body))
                if "stock_quantity" in body:
                    row["stock_quantity"] = int(body["stock_quantity"])
        return self._send(handler, 200, row)

    def _authorized(self, header: str) -> bool:
        if not header.startswith("Basic "):
            return False
        try:
            key, _, secret = base64.b64decode(header[6:]).decode().partition(":")
        except ValueError:
            return False
        return (key, secret) == (KEY, SECRET)

    def _page(self, handler, rows: list[dict], query: str) -> None:
        params = parse_qs(query)
        per_page = int(params.get("per_page", ["10"])[0])
        page = int(params.get("page", ["1"])[0])
        pages = max(math.ceil(len(rows) / per_page), 1)
        chunk = rows[(page - 1) * per_page : page * per_page]
        headers = {"X-WP-Total": str(len(rows)), "X-WP-TotalPages": str(pages)}
        self._send(handler, 200, chunk, headers)

    @staticmethod
    def _send(handler, status: int, body, headers: dict | None = None) -> None:
        data = json.dumps(body).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json; charset=UTF-8")
        handler.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(data)
