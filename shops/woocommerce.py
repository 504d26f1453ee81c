"""Talking to a shop's WooCommerce site (its REST API, `/wp-json/wc/v3/`).

- `woo_items`: every product, each variation of a variable product as an item of its own
  (`X-WP-TotalPages` pagination, 100 per page), with its SKU, EAN (`global_unique_id`, or a
  GTIN/EAN meta field of the plugins that added one before WooCommerce 9.2), price and stock.
- `woo_stock_add`: adds `delta` units to one product's or variation's stock (WooCommerce takes
  only a new quantity: read it, then write it back changed).

The key pair travels as HTTP Basic authentication, so only over https (plain http only when
DIGITAIX_FEEDS_ALLOW_LOOPBACK lets tests and a town's LAN through; every address is checked as
a feed's is: no private, loopback or link-local host otherwise). A 429 or a 5xx is retried
(`Retry-After`, else 1, 2, 4 s × DIGITAIX_WOO_RETRY_SECONDS), a 401/403 is a refused key, each
answer is capped in size and time. Every failure is a `WooError` with a French message.
"""

import json
import time
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import requests
from django.conf import settings
from django.utils.translation import gettext as _

from shops.feeds import FeedError, address_allowed, network_problem

API = "/wp-json/wc/v3"
PER_PAGE = 100
MAX_PAGES = 200  # 20,000 products
MAX_BYTES = 10 * 1024 * 1024
TIMEOUT_SECONDS = 15
ATTEMPTS = 4
_EAN_META = (
    "_global_unique_id",
    "_ean",
    "ean",
    "_gtin",
    "gtin",
    "_wpm_gtin_code",
    "hwp_product_gtin",
)


class WooError(Exception):
    """The site could not be read or written: the message says why, in French."""


@dataclass(frozen=True)
class WooItem:
    product_id: int
    variation_id: int | None
    name: str
    sku: str
    ean: str
    price: Decimal | None
    stock: int | None  # None: WooCommerce does not count this product's stock
    in_stock: bool


@dataclass(frozen=True)
class WooSite:
    url: str
    key: str
    secret: str

    def endpoint(self, path: str) -> str:
        return self.url.rstrip("/") + API + path


def woo_check(site: WooSite) -> int:
    """How many products the site has (one small request): WooError when the address, the
    key or the site is wrong."""
    response = _request(site, "GET", "/products", params={"per_page": 1, "page": 1})
    return _int(response.headers.get("X-WP-Total"), default=len(_json(response)))


def woo_items(site: WooSite) -> list[WooItem]:
    items = []
    for product in _pages(site, "/products"):
        if product.get("type") == "variable":
            for variation in _pages(site, f"/products/{_id(product)}/variations"):
                items.append(_item(variation, parent=product))
        elif product.get("type") in (None, "simple"):
            items.append(_item(product, parent=None))
    return items


def woo_stock_add(site: WooSite, *, product_id: int, variation_id: int | None, delta: int) -> int:
    """The item's stock after adding `delta` (negative: units sold on Digitaix)."""
    path = f"/products/{product_id}" + (f"/variations/{variation_id}" if variation_id else "")
    current = _json(_request(site, "GET", path))
    if not isinstance(current, dict) or not current.get("manage_stock"):
        raise WooError(_("WooCommerce ne suit pas le stock de ce produit."))
    quantity = max(_int(current.get("stock_quantity"), default=0) + delta, 0)
    _request(site, "PUT", path, json_body={"stock_quantity": quantity})
    return quantity


# --- Transport ------------------------------------------------------------------------------


def _pages(site: WooSite, path: str):
    page, pages = 1, 1
    while page <= min(pages, MAX_PAGES):
        response = _request(site, "GET", path, params={"per_page": PER_PAGE, "page": page})
        rows = _json(response)
        if not isinstance(rows, list):
            raise WooError(_("Réponse inattendue de WooCommerce (une liste était attendue)."))
        yield from (row for row in rows if isinstance(row, dict))
        pages = _int(response.headers.get("X-WP-TotalPages"), default=1)
        page += 1


def _request(site: WooSite, method: str, path: str, *, params=None, json_body=None):
    url = site.endpoint(path)
    if not url.startswith("https://") and not settings.DIGITAIX_FEEDS_ALLOW_LOOPBACK:
        raise WooError(_("Une adresse https:// est nécessaire : la clé ne voyage que chiffrée."))
    try:
        address_allowed(url)
    except FeedError as error:
        raise WooError(str(error)) from error
    for attempt in range(1, ATTEMPTS + 1):
        try:
            response = requests.request(
                method, url, params=params, json=json_body, auth=(site.key, site.secret),
                timeout=TIMEOUT_SECONDS, allow_redirects=False, stream=True,
                headers={"User-Agent": "Digitaix-WooCommerce/1", "Accept": "application/json"},
            )  # fmt: skip
        except requests.RequestException as error:
            if attempt == ATTEMPTS:
                raise WooError(
                    _("Site injoignable : %(why)s.") % {"why": network_problem(error)}
                ) from error
            _wait(attempt, None)
            continue
        if response.status_code == 429 or response.status_code >= 500:
            if attempt == ATTEMPTS:
                raise WooError(
                    _("WooCommerce a répondu %(code)s, %(n)s fois de suite.")
                    % {"code": response.status_code, "n": ATTEMPTS}
                )
            _wait(attempt, response.headers.get("Retry-After"))
            continue
        if response.status_code in (401, 403):
            raise WooError(_(
                "WooCommerce a refusé la clé (%(code)s) : vérifiez la clé client, le secret et "
                "leurs droits (lecture/écriture)."
            ) % {"code": response.status_code})  # fmt: skip
        if response.status_code == 404:
            raise WooError(_(
                "Introuvable (404) : l'adresse est-elle celle d'un site WooCommerce, avec "
                "l'API REST active ?"
            ))  # fmt: skip
        if not 200 <= response.status_code < 300:
            raise WooError(_("WooCommerce a répondu %(code)s.") % {"code": response.status_code})
        _body_read(response)
        return response
    raise AssertionError("unreachable")


def _wait(attempt: int, retry_after: str | None) -> None:
    base = settings.DIGITAIX_WOO_RETRY_SECONDS
    seconds = _int(retry_after, default=2 ** (attempt - 1)) if retry_after else 2 ** (attempt - 1)
    time.sleep(min(seconds, 30) * base)


def _body_read(response) -> None:
    body = b""
    for chunk in response.iter_content(64 * 1024):
        body += chunk
        if len(body) > MAX_BYTES:
            raise WooError(_("Réponse trop grosse (10 Mo au plus)."))
    response._content = body


def _json(response):
    try:
        return json.loads(response.content or b"null")
    except ValueError as error:
        raise WooError(_("Réponse illisible : ce n'est pas du JSON.")) from error


# --- Reading products -----------------------------------------------------------------------


def _item(row: dict, *, parent: dict | None) -> WooItem:
    name = str((parent or row).get("name") or "").strip()
    if parent is not None:
        options = [
            str(a.get("option", "")).strip()
            for a in row.get("attributes") or []
            if isinstance(a, dict) and a.get("option")
        ]
        if options:
            name = f"{name} – {', '.join(options)}"
    manage = bool(row.get("manage_stock"))
    return WooItem(
        product_id=_id(parent or row),
        variation_id=_id(row) if parent is not None else None,
        name=name[:255],
        sku=str(row.get("sku") or "").strip()[:128],
        ean=_ean(row),
        price=_price(row.get("price")),
        stock=_int(row.get("stock_quantity"), default=0) if manage else None,
        in_stock=row.get("stock_status", "instock") == "instock",
    )


def _ean(row: dict) -> str:
    value = row.get("global_unique_id") or ""
    if not value:
        for meta in row.get("meta_data") or []:
            if isinstance(meta, dict) and meta.get("key") in _EAN_META and meta.get("value"):
                value = meta["value"]
                break
    return "".join(str(value).split())[:64]


def _price(value) -> Decimal | None:
    try:
        price = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    if not price.is_finite() or price <= 0 or price >= Decimal("1000000"):
        return None
    return price.quantize(Decimal("0.01"))


def _id(row: dict) -> int:
    return _int(row.get("id"), default=0)


def _int(value, *, default: int) -> int:
    try:
        return int(float(str(value).strip()))
    except (TypeError, ValueError, OverflowError):
        return default
