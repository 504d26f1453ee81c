"""Reading a shop's stock feed: fetching it safely and parsing what tills export.

- `feed_fetch`: `http`/`https` only; every address the host resolves to must be public (no
  private, loopback, link-local or reserved range: SSRF), unless DIGITAIX_FEEDS_ALLOW_LOOPBACK
  (tests, a town's own LAN); no redirects; a time-out; a size limit; conditional GET (ETag,
  Last-Modified): an unchanged file costs no work.
- `feed_parse`: our CSV (`sku;titre;prix;stock…`, `,` or `;`), the same as JSON (a list of
  objects), semicolon CSV with a decimal comma; UTF-8 (BOM or not) or Windows-1252. Only
  `sku`, `stock` and (optionally) `prix` are read: the feed is the shelf, not the catalogue.
"""

import csv
import io
import ipaddress
import json
import socket
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.utils.translation import gettext as _

from shops.catalogue_io import MAX_STOCK, price_parse

MAX_BYTES = 10 * 1024 * 1024
TIMEOUT_SECONDS = 15
MAX_ERRORS = 20
_SKU = {"sku", "reference", "référence", "ref", "code"}
_STOCK = {"stock", "quantite", "quantité", "qte", "qté", "num_in_stock", "quantity"}
_PRICE = {"prix", "price", "prix_ttc"}


class FeedError(Exception):
    """The feed could not be read: the message says why, in French."""


@dataclass(frozen=True)
class Fetched:
    unchanged: bool
    body: bytes = b""
    etag: str = ""
    last_modified: str = ""


@dataclass(frozen=True)
class FeedLine:
    line: int
    sku: str
    num_in_stock: int
    price: Decimal | None


def address_allowed(url: str) -> None:
    """FeedError unless `url` is http(s) to a host whose every address is public."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FeedError(_("Adresse refusée : seules les adresses http:// et https:// sont lues."))
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as error:
        raise FeedError(_("Adresse introuvable : %(host)s.") % {"host": parts.hostname}) from error
    if settings.DIGITAIX_FEEDS_ALLOW_LOOPBACK:
        return
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global or address.is_multicast:
            raise FeedError(_("Adresse refusée : elle mène à un réseau privé ou local."))


def feed_fetch(url: str, *, etag: str = "", last_modified: str = "") -> Fetched:
    address_allowed(url)
    headers = {"User-Agent": "Digitaix-Stock-Feed/1"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    try:
        with requests.get(
            url, headers=headers, timeout=TIMEOUT_SECONDS, stream=True, allow_redirects=False
        ) as response:
            if response.status_code == 304:
                return Fetched(unchanged=True, etag=etag, last_modified=last_modified)
            if response.status_code != 200:
                raise FeedError(
                    _("Le serveur a répondu %(code)s.") % {"code": response.status_code}
                )
            body = b""
            for chunk in response.iter_content(64 * 1024):
                body += chunk
                if len(body) > MAX_BYTES:
                    raise FeedError(_("Fichier trop gros (10 Mo au plus)."))
            return Fetched(
                unchanged=False,
                body=body,
                etag=response.headers.get("ETag", ""),
                last_modified=response.headers.get("Last-Modified", ""),
            )
    except requests.RequestException as error:
        raise FeedError(
            _("Fichier injoignable : %(why)s.") % {"why": network_problem(error)}
        ) from error


def network_problem(error: requests.RequestException) -> str:
    """Why a request failed, in words a shopkeeper can act on."""
    if isinstance(error, requests.exceptions.SSLError):
        return _("le certificat https du serveur est refusé")
    if isinstance(error, requests.Timeout):
        return _("le serveur ne répond pas (plus de %(n)s secondes)") % {"n": TIMEOUT_SECONDS}
    if isinstance(error, requests.ConnectionError):
        return _("connexion impossible (serveur arrêté, ou adresse ou port inexacts ?)")
    return _("erreur du réseau")


def _text(body: bytes) -> str:
    if body.startswith(b"\xef\xbb\xbf"):
        body = body[3:]
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return body.decode("cp1252", errors="replace")


def _rows(text: str) -> list[dict]:
    stripped = text.lstrip()
    if stripped.startswith(("[", "{")):
        try:
            data = json.loads(stripped)
        except json.JSONDecodeError as error:
            raise FeedError(_("JSON illisible (ligne %(n)s).") % {"n": error.lineno}) from error
        if isinstance(data, dict):
            data = data.get("lines") or data.get("offers") or []
        if not isinstance(data, list) or not all(isinstance(row, dict) for row in data):
            raise FeedError(_("Le JSON doit être une liste d'objets {sku, stock, prix}."))
        return [{str(k).strip().lower(): v for k, v in row.items()} for row in data]
    first = stripped.splitlines()[0] if stripped else ""
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    return [{(k or "").strip().lower(): v for k, v in row.items()} for row in reader]


def _pick(row: dict, names: set[str]):
    for name in names:
        if name in row and row[name] not in (None, ""):
            return row[name]
    return None


def feed_parse(body: bytes) -> tuple[list[FeedLine], list[dict]]:
    """(the lines read, the problems of the others: `{line, message}`, the first ones)."""
    rows = _rows(_text(body))
    if rows and _pick(rows[0], _SKU) is None and not any(k in rows[0] for k in _SKU):
        raise FeedError(_("Colonne « sku » absente."))
    lines, errors = [], []
    for number, row in enumerate(rows, start=2):
        sku, raw_stock, raw_price = _pick(row, _SKU), _pick(row, _STOCK), _pick(row, _PRICE)
        problem = _line_problem(sku, raw_stock, raw_price)
        if problem:
            if len(errors) < MAX_ERRORS:
                errors.append({"line": number, "sku": str(sku or ""), "message": problem})
            continue
        price = price_parse(str(raw_price)) if raw_price is not None else None
        lines.append(FeedLine(number, str(sku).strip(), int(str(raw_stock).strip()), price))
    return lines, errors


def _line_problem(sku, raw_stock, raw_price) -> str:
    if sku is None or not str(sku).strip():
        return _("Référence (sku) manquante.")
    text = str(raw_stock if raw_stock is not None else "").strip()
    if not text.isdigit() or int(text) > MAX_STOCK:
        return _("Stock « %(value)s » invalide : un nombre entier positif.") % {"value": text}
    if raw_price is not None and price_parse(str(raw_price)) is None:
        return _("Prix « %(value)s » invalide.") % {"value": raw_price}
    return ""
