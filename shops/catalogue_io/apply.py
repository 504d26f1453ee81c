"""Applying a checked CSV file to a shop's offers: the whole file, or nothing."""

import os
from dataclasses import dataclass, field

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from oscar.checks import use_productcategory_materialised_view
from oscar.core.loading import get_model

from catalog.services import product_class_default, search_refresh_mark
from catalog.text import normalize
from shops import selectors
from shops.bulk import rows_update
from shops.catalogue_io.parse import (
    MAX_BYTES,
    Report,
    Row,
    catalogue_csv_parse,
)
from shops.services import stock_alerts_sync

Product = get_model("catalogue", "Product")
ProductCategory = get_model("catalogue", "ProductCategory")
Category = get_model("catalogue", "Category")
StockRecord = get_model("partner", "StockRecord")
CsvImport = get_model("partner", "CsvImport")

# --- Applying it -----------------------------------------------------------------------------


def catalogue_csv_import(*, shop, user, upload) -> CsvImport:
    """Import an uploaded CSV file into `shop`: all rows or none. Returns the import's record
    (status `applied`, or `refused` with every error); the products' search columns are
    refreshed once the transaction commits."""
    filename = os.path.basename(getattr(upload, "name", "") or "import.csv")[:255]
    report = Report()
    size = getattr(upload, "size", None)
    data = b"" if size is not None and size > MAX_BYTES else upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES or (size or 0) > MAX_BYTES:
        report.error(
            _("Le fichier pèse %(size)s : %(max)s au plus. Découpez-le en plusieurs fichiers.")
            % {"size": _megabytes(max(size or 0, len(data))), "max": _megabytes(MAX_BYTES)}
        )
        return _record(shop, user, filename, report, rows_total=0)
    rows, report = catalogue_csv_parse(data=data)
    if report.errors:
        return _record(shop, user, filename, report, rows_total=report.rows_seen)
    try:
        with transaction.atomic():
            return _apply(shop=shop, user=user, filename=filename, rows=rows, report=report)
    except IntegrityError:
        report.error(_("Des offres ont changé pendant l'import : rien n'a été modifié, réessayez."))
        return _record(shop, user, filename, report, rows_total=report.rows_seen)


def _megabytes(size: int) -> str:
    return _("%(n)s Mo") % {"n": f"{size / 1024 / 1024:.1f}".replace(".", ",").replace(",0", "")}


def _record(shop, user, filename: str, report: Report, **counts) -> CsvImport:
    if report.errors:
        status, entries = (
            CsvImport.Status.REFUSED,
            report.stored(report.errors, report.dropped_errors),
        )
    else:
        status = CsvImport.Status.APPLIED
        entries = report.stored(report.warnings, report.dropped_warnings) if report.warnings else []
    return CsvImport.objects.create(
        shop=shop, user=user, filename=filename, status=status, errors=entries, **counts
    )


@dataclass
class _Plan:
    new_products: list = field(default_factory=list)
    new_offers: list = field(default_factory=list)
    new_links: list = field(default_factory=list)  # (Product or id, category id)
    offers: dict = field(default_factory=dict)  # pk -> changed offer
    confirmed: list = field(default_factory=list)  # ids of every offer the file names
    products: dict = field(default_factory=dict)  # pk -> changed product
    search: set = field(default_factory=set)  # product ids whose search text may change
    updated_lines: set = field(default_factory=set)


def _apply(*, shop, user, filename: str, rows: list[Row], report: Report) -> CsvImport:
    existing = {
        o.partner_sku: o
        for o in selectors.merchant_offers_by_sku(shop=shop, skus=[r.sku for r in rows])
    }
    for row in rows:
        offer = existing.get(row.sku)
        if offer is not None and row.stock < (offer.num_allocated or 0):
            report.error(
                _("stock %(stock)s inférieur aux %(n)s unités déjà réservées par des commandes.")
                % {"stock": row.stock, "n": offer.num_allocated},
                line=row.line,
                column="stock",
            )
    if report.errors:
        return _record(shop, user, filename, report, rows_total=report.rows_seen)
    product_ids = {o.product_id for o in existing.values()}
    context = {
        "shared": selectors.products_offered_elsewhere(shop=shop, product_ids=product_ids),
        "categories": _categories_by_name(),
        "upcs": dict(
            Product.objects.filter(upc__in=[r.ean for r in rows if r.ean]).values_list("upc", "pk")
        ),
        "links": set(
            ProductCategory.objects.filter(product_id__in=product_ids).values_list(
                "product_id", "category_id"
            )
        ),
        "now": timezone.now(),
    }
    plan = _Plan()
    for row in rows:
        if row.sku in existing:
            _plan_update(plan, row, existing[row.sku], context, report)
        else:
            _plan_create(plan, row, shop, context, report)
    _write(plan)
    search_refresh_mark(product_ids=plan.search)  # refreshed after commit, never lost
    return _record(
        shop,
        user,
        filename,
        report,
        rows_total=len(rows),
        rows_created=len(plan.new_offers),
        rows_updated=len(plan.updated_lines),
    )


def _categories_by_name() -> dict[str, int]:
    """Normalised category name -> id (the first in the tree when two share a name)."""
    found: dict[str, int] = {}
    for pk, name in Category.objects.order_by("path").values_list("pk", "name"):
        found.setdefault(normalize(name), pk)
    return found


def _category_id(row: Row, context: dict, report: Report, *, new: bool) -> int | None:
    if row.category is None:
        return None
    name = row.category.split(">")[-1]
    category_id = context["categories"].get(normalize(name))
    if category_id is None:
        outcome = _("produit laissé sans catégorie") if new else _("catégorie inchangée")
        report.warn(
            _("catégorie « %(name)s » introuvable : %(outcome)s.")
            % {"name": row.category, "outcome": outcome},
            line=row.line,
            column="categorie",
        )
    return category_id


def _ean_free(row: Row, product_id: int | None, context: dict, report: Report) -> bool:
    owner = context["upcs"].get(row.ean)
    if owner is None or owner == product_id:
        return True
    report.warn(
        _("EAN « %(ean)s » déjà utilisé par un autre produit du catalogue : non enregistré.")
        % {"ean": row.ean},
        line=row.line,
        column="ean",
    )
    return False


def _plan_update(plan: _Plan, row: Row, offer, context: dict, report: Report) -> None:
    plan.confirmed.append(offer.pk)
    on_sale = offer.is_on_sale if row.on_sale is None else row.on_sale
    if (offer.price, offer.num_in_stock, offer.is_on_sale) != (row.price, row.stock, on_sale):
        offer.price, offer.num_in_stock, offer.is_on_sale = row.price, row.stock, on_sale
        offer.date_updated = context["now"]
        plan.offers[offer.pk] = offer
        plan.updated_lines.add(row.line)
    product = plan.products.get(offer.product_id, offer.product)
    wanted = {"title": row.title}
    if row.description is not None:
        wanted["description"] = row.description
    if row.ean is not None and row.ean != product.upc:
        wanted["upc"] = row.ean
    changes = {k: v for k, v in wanted.items() if v != (getattr(product, k) or "").strip()}
    if product.pk in context["shared"]:
        category_id = _category_id(row, context, report, new=False)
        if changes or category_id and (product.pk, category_id) not in context["links"]:
            report.warn(
                _("produit proposé aussi par d'autres boutiques : seule votre offre est modifiée."),
                line=row.line,
            )
        return
    if "upc" in changes and not _ean_free(row, product.pk, context, report):
        del changes["upc"]
    if changes:
        for name, value in changes.items():
            setattr(product, name, value)
        product.date_updated = context["now"]
        plan.products[product.pk] = product
        plan.search.add(product.pk)
        plan.updated_lines.add(row.line)
    category_id = _category_id(row, context, report, new=False)
    if category_id and (product.pk, category_id) not in context["links"]:
        context["links"].add((product.pk, category_id))
        plan.new_links.append((product.pk, category_id))
        plan.search.add(product.pk)
        plan.updated_lines.add(row.line)


def _plan_create(plan: _Plan, row: Row, shop, context: dict, report: Report) -> None:
    if "product_class_id" not in context:
        context["product_class_id"] = product_class_default()
    upc = row.ean if row.ean and _ean_free(row, None, context, report) else None
    product = Product(
        structure=Product.STANDALONE,
        title=row.title,
        slug=slugify(normalize(row.title))[:255] or "produit",
        description=row.description or "",
        product_class_id=context["product_class_id"],
        upc=upc,
        is_public=True,
    )
    plan.new_products.append(product)
    plan.new_offers.append(
        StockRecord(
            product=product,
            partner=shop,
            partner_sku=row.sku,
            price_currency="EUR",
            price=row.price,
            num_in_stock=row.stock,
            is_on_sale=True if row.on_sale is None else row.on_sale,
            stock_source=StockRecord.StockSource.IMPORT,
            stock_synced_at=context["now"],
        )
    )
    category_id = _category_id(row, context, report, new=True)
    if category_id:
        plan.new_links.append((product, category_id))


def _write(plan: _Plan) -> None:
    """A constant handful of statements per 500 rows: bulk inserts and bulk updates."""
    Product.objects.bulk_create(plan.new_products, batch_size=500)
    for offer in plan.new_offers:
        offer.product_id = offer.product.pk
    StockRecord.objects.bulk_create(plan.new_offers, batch_size=500)
    offers = list(plan.offers.values())
    rows_update(StockRecord, offers, ["price", "num_in_stock", "is_on_sale", "date_updated"])
    if plan.confirmed:
        StockRecord.objects.filter(pk__in=plan.confirmed).update(
            stock_source=StockRecord.StockSource.IMPORT, stock_synced_at=timezone.now()
        )
    stock_alerts_sync(offers=offers)
    products = list(plan.products.values())
    rows_update(Product, products, ["title", "description", "upc", "date_updated"])
    links = [
        ProductCategory(product_id=getattr(p, "pk", p), category_id=c) for p, c in plan.new_links
    ]
    ProductCategory.objects.bulk_create(links, batch_size=500)
    plan.search.update(p.pk for p in plan.new_products)
    if links and use_productcategory_materialised_view():
        with connection.cursor() as cursor:
            cursor.execute("REFRESH MATERIALIZED VIEW catalogue_product_category_hierarchy")
