"""A shop's WooCommerce site as the master of its stock (shops/woocommerce.py talks to it).

Connecting checks the address and the key pair at once; the connection is the shop's stock
feed of kind "woocommerce", pulled on its period like a file (same runs, reports, failure
e-mail and scheduling).

A pull reads every product (each variation as an offer of its own) and matches it to the
shop's offers by its link from an earlier pull, then by SKU, then by EAN; an unmatched item
becomes an offer: on the catalogue's product with its EAN when there is one, else a new
product that goes through the town's moderation like one made in the space.

The rule when both sides sell. WooCommerce counts what the web shop may still sell, and
Digitaix tells it each sale (`woo_stock_pushes_add`: minus the units when an order is placed,
plus them back when it is cancelled or refused), so its count already leaves out the units
Digitaix orders hold. A pulled quantity `q` therefore sets
`num_in_stock = q + num_allocated + (the changes not yet pushed)`, and Digitaix sells
`num_in_stock - num_allocated`: exactly what WooCommerce would still sell, never a unit twice.
Never below `num_allocated`: an order Digitaix accepted is never lost.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from messaging.handover import handover
from shops.catalogue_io import MAX_STOCK
from shops.services.offers import OfferChange, offers_stock_update
from shops.tasks import woo_stock_push_send
from shops.woocommerce import WooError, WooItem, WooSite, woo_check, woo_stock_add

Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")
StockFeed = get_model("partner", "StockFeed")
StockFeedRun = get_model("partner", "StockFeedRun")
WooOfferLink = get_model("partner", "WooOfferLink")
WooStockPush = get_model("partner", "WooStockPush")

MAX_CREATED_PER_RUN = 500
MAX_LISTED = 20
PUSH_GIVE_UP_AFTER = datetime.timedelta(days=3)
WOO = StockRecord.StockSource.WOOCOMMERCE


def site_of(feed: StockFeed) -> WooSite:
    return WooSite(url=feed.url, key=feed.woo_key, secret=feed.woo_secret)


def woo_connect(*, shop: Partner, url: str, key: str, secret: str, period: int) -> StockFeed:
    """Connect `shop` to its WooCommerce site (replacing any stock file): the address and the
    key pair are tried first; ValidationError keyed by field, nothing saved, when they fail."""
    url, key, secret = (url or "").strip().rstrip("/"), (key or "").strip(), (secret or "").strip()
    errors = {}
    if not url or len(url) > 500:
        errors["woo_url"] = _("L'adresse du site, 500 caractères au plus.")
    if not key or len(key) > 128:
        errors["woo_key"] = _("La clé client (ck_…), 128 caractères au plus.")
    if not secret or len(secret) > 128:
        errors["woo_secret"] = _("Le secret client (cs_…), 128 caractères au plus.")
    if period not in StockFeed.Period.values:
        errors["period"] = _("15, 60 ou 1440 minutes.")
    if errors:
        raise ValidationError(errors)
    try:
        woo_check(WooSite(url=url, key=key, secret=secret))
    except WooError as error:
        raise ValidationError({"woo_url": str(error)}) from error
    feed, _created = StockFeed.objects.update_or_create(
        shop=shop,
        defaults={
            "kind": StockFeed.Kind.WOOCOMMERCE, "url": url, "woo_key": key,
            "woo_secret": secret, "period": period, "is_active": True,
            "next_run_at": timezone.now(), "etag": "", "last_modified": "",
            "consecutive_failures": 0,
        },
    )  # fmt: skip
    return feed


def woo_disconnect(*, shop: Partner) -> bool:
    """Forget `shop`'s WooCommerce site (its key, links and unsent pushes); True if it had one."""
    deleted, _by_model = StockFeed.objects.filter(
        shop=shop, kind=StockFeed.Kind.WOOCOMMERCE
    ).delete()
    return bool(deleted)


# --- Pulling ---------------------------------------------------------------------------------


def woo_pull(*, feed: StockFeed, run: StockFeedRun) -> None:
    """Read the site and apply it to the shop's offers (WooError: nothing changed)."""
    items = _items_checked(feed, run)
    _apply(feed, items, run)


def _items_checked(feed: StockFeed, run: StockFeedRun) -> list[WooItem]:
    from shops.feeds import MAX_ERRORS

    items, seen = [], set()
    for item in _fetch(feed):
        key = (item.product_id, item.variation_id)
        if key in seen:
            continue
        seen.add(key)
        problem = ""
        if item.stock is not None and not 0 <= item.stock <= MAX_STOCK:
            problem = _("Stock %(n)s hors limites (0 à %(max)s).") % {
                "n": item.stock,
                "max": MAX_STOCK,
            }
        if problem:
            if len(run.errors) < MAX_ERRORS:
                run.errors.append({"line": None, "sku": item.sku or item.name, "message": problem})
            continue
        items.append(item)
    return items


def _fetch(feed: StockFeed) -> list[WooItem]:
    from shops.woocommerce import woo_items

    return woo_items(site_of(feed))


@transaction.atomic
def _apply(feed: StockFeed, items: list[WooItem], run: StockFeedRun) -> None:
    from shops import selectors

    shop = feed.shop
    offers = list(selectors.merchant_offers(shop=shop).order_by("pk"))
    by_pk = {o.pk: o for o in offers}
    by_sku = {o.partner_sku: o for o in offers}
    by_ean = {o.product.upc: o for o in offers if o.product.upc}
    links = {
        (link.product_id, link.variation_id): link
        for link in WooOfferLink.objects.filter(feed=feed)
    }
    pending = dict(
        WooStockPush.objects.filter(feed=feed, status=WooStockPush.Status.PENDING)
        .values("offer")
        .annotate(total=Sum("delta"))
        .values_list("offer", "total")
    )
    changes, matched, unmatched = {}, {}, []
    for item in items:
        link = links.get((item.product_id, item.variation_id))
        offer = (
            (by_pk.get(link.offer_id) if link else None)
            or (by_sku.get(item.sku) if item.sku else None)
            or (by_ean.get(item.ean) if item.ean else None)
        )
        if offer is None:
            unmatched.append(item)
            continue
        if offer.pk in changes:  # two WooCommerce items on one offer: the first one wins
            continue
        matched[offer.pk] = item
        changes[offer.pk] = OfferChange(
            price=item.price or offer.price,
            num_in_stock=_shelf(
                item,
                held=offer.num_allocated or 0,
                sellable_now=max(offer.net_stock_level, 0),
                pending=pending.get(offer.pk, 0),
            ),  # fmt: skip
            is_on_sale=offer.is_on_sale,
        )
    run.rows_updated = offers_stock_update(shop=shop, changes=changes, source=WOO) if changes else 0
    run.rows_unchanged = len(changes) - run.rows_updated
    created = _create(shop, unmatched, run)
    _links_save(feed, {**matched, **created}, links)


def _shelf(item: WooItem, *, held: int = 0, sellable_now: int = 0, pending: int = 0) -> int:
    """The offer's new `num_in_stock`: what the site may sell (`sellable_now` kept when it
    does not count this item's stock; none when it says out of stock), plus `pending`
    changes not pushed yet, plus the `held` units of Digitaix orders."""
    if item.stock is None:
        sellable = sellable_now if item.in_stock else 0
    else:
        sellable = item.stock + pending
    return min(max(sellable, 0) + held, MAX_STOCK)


def _create(shop: Partner, items: list[WooItem], run: StockFeedRun) -> dict[int, WooItem]:
    """New offers for the site's unmatched items (the first MAX_CREATED_PER_RUN)."""
    from shops.dashboard.product_forms import ean_valid
    from shops.product_selectors import product_with_ean
    from shops.services.products import ProductDetails, shop_offer_add, shop_product_create

    created, unknown = {}, []
    for item in items:
        if len(created) >= MAX_CREATED_PER_RUN or not item.name or item.price is None:
            unknown.append(item.sku or item.name or str(item.product_id))
            continue
        change = OfferChange(price=item.price, num_in_stock=_shelf(item), is_on_sale=True)
        sku = item.sku or f"WC{item.product_id}" + (
            f"-{item.variation_id}" if item.variation_id else ""
        )
        ean = item.ean if item.ean and ean_valid(item.ean) else ""
        product = product_with_ean(ean=ean) if ean else None
        try:
            with transaction.atomic():
                if product is not None:
                    offer = shop_offer_add(
                        shop=shop, by=None, product=product, change=change, sku=sku, source=WOO
                    )
                else:
                    offer = shop_product_create(
                        shop=shop, by=None, offer=change, sku=sku, source=WOO,
                        details=ProductDetails(title=item.name, upc=ean or None),
                    )  # fmt: skip
        except (ValidationError, IntegrityError) as error:
            message = " ".join(getattr(error, "messages", [str(error)]))
            run.errors.append({"line": None, "sku": sku, "message": message})
            continue
        created[offer.pk] = item
        if item.stock is None and item.in_stock and len(run.errors) < MAX_LISTED:
            run.errors.append({"line": None, "sku": sku, "message": _(
                "WooCommerce ne compte pas le stock de ce produit : offre créée avec un stock "
                "de 0, à saisir dans Digitaix (ou activez « Gérer le stock » dans WooCommerce)."
            )})  # fmt: skip
    run.rows_created = len(created)
    run.unknown_count, run.unknown_skus = len(unknown), unknown[:MAX_LISTED]
    return created


def _links_save(feed: StockFeed, items: dict[int, WooItem], links: dict) -> None:
    by_offer = {link.offer_id: link for link in links.values()}
    changed, new = [], []
    for offer_id, item in items.items():
        link = by_offer.get(offer_id)
        if link is None:
            new.append(WooOfferLink(
                offer_id=offer_id, feed=feed, product_id=item.product_id,
                variation_id=item.variation_id,
            ))  # fmt: skip
        elif (link.product_id, link.variation_id) != (item.product_id, item.variation_id):
            link.product_id, link.variation_id = item.product_id, item.variation_id
            changed.append(link)
    WooOfferLink.objects.bulk_create(new, batch_size=500)
    WooOfferLink.objects.bulk_update(changed, ["product_id", "variation_id"], batch_size=500)


# --- Pushing Digitaix's sales ------------------------------------------------------------------


def woo_stock_pushes_add(*, shop_id: int, moves: list[tuple[int, int, str]]) -> int:
    """Stock changes to tell `shop`'s WooCommerce site: `(offer id, delta, key)` each, written
    in the caller's transaction (once per key) and sent once it commits. Offers the site does
    not know, and shops without a site, write nothing. Returns how many were written."""
    feed = StockFeed.objects.filter(
        shop_id=shop_id, kind=StockFeed.Kind.WOOCOMMERCE, is_active=True
    ).first()
    if feed is None or not moves:
        return 0
    linked = set(
        WooOfferLink.objects.filter(feed=feed, offer__in=[m[0] for m in moves]).values_list(
            "offer", flat=True
        )
    )
    now = timezone.now()
    pushes = [
        WooStockPush(
            feed=feed,
            offer_id=offer_id,
            delta=delta,
            reason=key[:200],
            key=key[:200],
            next_attempt_at=now,
            give_up_at=now + PUSH_GIVE_UP_AFTER,
        )  # fmt: skip
        for offer_id, delta, key in moves
        if offer_id in linked and delta
    ]
    WooStockPush.objects.bulk_create(pushes, ignore_conflicts=True)
    keys = [p.key for p in pushes]
    if keys:
        transaction.on_commit(lambda: _hand_over(keys))
    return len(pushes)


def _hand_over(keys: list[str]) -> None:
    for push_id in WooStockPush.objects.filter(key__in=keys).values_list("pk", flat=True):
        handover(woo_stock_push_send, kwargs={"push_id": push_id})


def woo_stock_push_attempt(*, push_id: int) -> str:
    """Send one pending, due push now; its status afterwards."""
    with transaction.atomic():
        push = (
            WooStockPush.objects.select_for_update(of=("self",))
            .select_related("feed")
            .filter(pk=push_id)
            .first()
        )
        if push is None or push.status != WooStockPush.Status.PENDING:
            return push.status if push else ""
        now = timezone.now()
        if push.next_attempt_at > now:
            return push.status
        link = WooOfferLink.objects.filter(offer_id=push.offer_id, feed=push.feed).first()
        push.attempts += 1
        try:
            if link is None:
                raise WooError(_("Ce produit n'est plus relié au site."))
            woo_stock_add(
                site_of(push.feed), product_id=link.product_id,
                variation_id=link.variation_id, delta=push.delta,
            )  # fmt: skip
        except WooError as error:
            push.last_error = str(error)
            if now >= push.give_up_at:
                push.status = WooStockPush.Status.FAILED
            else:
                minutes = min(2 ** max(push.attempts - 1, 0), 360)
                push.next_attempt_at = now + datetime.timedelta(minutes=minutes)
        else:
            push.status, push.sent_at, push.last_error = WooStockPush.Status.SENT, now, ""
        push.save()
    return push.status


def woo_stock_pushes_due(*, limit: int = 200) -> int:
    """Periodic: the pending pushes that are due (oldest first); returns how many were sent."""
    due = WooStockPush.objects.filter(
        status=WooStockPush.Status.PENDING, next_attempt_at__lte=timezone.now()
    ).values_list("pk", flat=True)[:limit]
    return sum(woo_stock_push_attempt(push_id=pk) == WooStockPush.Status.SENT for pk in list(due))
