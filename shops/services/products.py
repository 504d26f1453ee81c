"""A merchant's products from their own screens: a new product with its offer, an offer on a
product of the shared catalogue, editing one, and putting offers on sale (or off) in bulk.

A product a merchant creates is public at once, like one made in Oscar's dashboard or by the
CSV import: it shows only once the shop is live, and the town's staff may withdraw it
(shops.services.moderation.product_moderate), which no merchant screen can undo. A product
another shop offers too is shared: its record (title, category, photo, description, EAN) is
left unchanged, only the shop's offer changes.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.html import escape, linebreaks
from django.utils.text import slugify
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from accounts.types import User
from catalog.services import product_class_default
from catalog.text import normalize
from shops.services.offers import OfferChange

Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")
Product = get_model("catalogue", "Product")
ProductImage = get_model("catalogue", "ProductImage")
Category = get_model("catalogue", "Category")


@dataclass(frozen=True)
class ProductDetails:
    """What a merchant writes about their own product (already checked for format)."""

    title: str
    category: Category | None = None
    description: str = ""  # plain text: stored as paragraphs, cleaned by the sanitiser
    upc: str | None = None
    photo: ContentFile | None = None  # checked and re-encoded by catalog.images


def _works_for(shop: Partner, user) -> None:
    """Defence in depth behind the views' MerchantRequiredMixin. `None`: the shop's own API
    key acts (shops.access.HasShopApiKey let it in for this very shop)."""
    if user is not None and not shop.users.filter(pk=user.pk).exists():
        raise PermissionDenied(_("Vous ne travaillez pas pour cette boutique."))


def _upc_free(upc: str | None, product_id: int | None = None) -> None:
    if upc and Product.objects.filter(upc=upc).exclude(pk=product_id).exists():
        raise ValidationError(
            {
                "upc": _(
                    "Ce code-barres est déjà celui d'un autre produit du catalogue : "
                    "cherchez-le ci-dessus et choisissez « Je vends aussi ce produit »."
                )
            }
        )


def description_html(text: str) -> str:
    """Plain text as the paragraphs a product page prints (escaped, then cleaned on save)."""
    text = (text or "").strip()
    return linebreaks(escape(text)) if text else ""


def _sku_free(shop: Partner, product: Product) -> str:
    """A SKU the shop does not use yet, from the product's id: "P123", else "P123-2"…"""
    base = f"P{product.pk}"
    taken = set(
        StockRecord.objects.filter(partner=shop, partner_sku__startswith=base).values_list(
            "partner_sku", flat=True
        )
    )
    sku, n = base, 2
    while sku in taken:
        sku, n = f"{base}-{n}", n + 1
    return sku


def _offer_create(
    shop: Partner, product: Product, change: OfferChange, sku: str, source: str
) -> StockRecord:
    return StockRecord.objects.create(
        product=product,
        partner=shop,
        partner_sku=sku or _sku_free(shop, product),
        price_currency="EUR",
        price=change.price,
        num_in_stock=change.num_in_stock,
        is_on_sale=change.is_on_sale,
        stock_source=source,
        stock_synced_at=timezone.now(),
    )


def _photo_set(product: Product, photo: ContentFile | None) -> None:
    """The photo becomes the product's first; an earlier first photo is replaced."""
    if photo is None:
        return
    first = product.images.order_by("display_order", "pk").first()
    if first is None:
        first = ProductImage(product=product, display_order=0)
    first.original.save(photo.name, photo, save=False)
    first.caption = product.title[:200]
    first.save()


@transaction.atomic
def shop_product_create(
    *,
    shop: Partner,
    by: User | None,
    details: ProductDetails,
    offer: OfferChange,
    sku: str = "",
    source: str = StockRecord.StockSource.HAND,
) -> StockRecord:
    """A new product of the shared catalogue, with the shop's offer on it, in one go.

    ValidationError keyed by field (`upc`) when the EAN belongs to another product; then
    nothing is created. Returns the offer (its SKU `sku`, else one made from the product's
    id; `source` says where its stock comes from).
    """
    _works_for(shop, by)
    _upc_free(details.upc)
    product = Product(
        structure=Product.STANDALONE,
        title=details.title,
        slug=slugify(normalize(details.title))[:255] or "produit",
        description=description_html(details.description),
        product_class_id=product_class_default(),
        upc=details.upc or None,
        is_public=True,
    )
    try:
        with transaction.atomic():
            product.save()
    except IntegrityError as error:  # the same EAN saved meanwhile by someone else
        raise ValidationError({"upc": _("Ce code-barres vient d'être enregistré.")}) from error
    if details.category is not None:
        product.categories.add(details.category)
    _photo_set(product, details.photo)
    return _offer_create(shop, product, offer, sku, source)


@transaction.atomic
def shop_offer_add(
    *,
    shop: Partner,
    by: User | None,
    product: Product,
    change: OfferChange,
    sku: str = "",
    source: str = StockRecord.StockSource.HAND,
) -> StockRecord:
    """The shop sells a product of the shared catalogue too: its own offer (price, stock),
    with a SKU of its own. ValidationError when the shop offers it already."""
    _works_for(shop, by)
    Partner.objects.select_for_update().filter(pk=shop.pk).first()  # one offer per product
    if StockRecord.objects.filter(partner=shop, product=product).exists():
        raise ValidationError(_("Votre boutique vend déjà ce produit."), code="offer_exists")
    return _offer_create(shop, product, change, sku, source)


@transaction.atomic
def shop_product_update(
    *,
    shop: Partner,
    by: User,
    offer: StockRecord,
    details: ProductDetails | None,
    change: OfferChange,
) -> StockRecord:
    """Change the shop's offer and, when given, its product's record.

    `details` is refused (PermissionDenied) on a product another shop offers too: the views
    never send it then. ValidationError keyed by field on a stock below what orders hold or
    an EAN of another product; then nothing changes.
    """
    _works_for(shop, by)
    offer = StockRecord.objects.select_for_update(of=("self",)).get(pk=offer.pk, partner=shop)
    if change.num_in_stock < (offer.num_allocated or 0):
        raise ValidationError(
            {
                "num_in_stock": _(
                    "Le stock ne peut pas descendre sous les %(n)s unités déjà réservées."
                )
                % {"n": offer.num_allocated}
            }
        )
    if details is not None:
        _product_update(shop, offer.product, details)
    offer.price, offer.num_in_stock = change.price, change.num_in_stock
    offer.is_on_sale = change.is_on_sale
    offer.save()  # Oscar's receiver opens or closes its low-stock alert
    return offer


def _product_update(shop: Partner, product: Product, details: ProductDetails) -> None:
    if StockRecord.objects.filter(product=product).exclude(partner=shop).exists():
        raise PermissionDenied(_("D'autres boutiques vendent ce produit : sa fiche est commune."))
    _upc_free(details.upc, product.pk)
    product.title = details.title
    product.description = description_html(details.description)
    product.upc = details.upc or None
    product.save()
    if details.category is not None and [c.pk for c in product.categories.all()] != [
        details.category.pk
    ]:
        product.categories.set([details.category])
    _photo_set(product, details.photo)


@transaction.atomic
def offers_on_sale_bulk_set(*, shop: Partner, ids: list[int], on_sale: bool) -> int:
    """Put these offers of the shop on sale, or take them off; ids of other shops' offers
    are ignored. Returns how many offers changed."""
    return (
        StockRecord.objects.filter(partner=shop, pk__in=list(ids))
        .exclude(is_on_sale=on_sale)
        .update(is_on_sale=on_sale, date_updated=timezone.now())
    )
