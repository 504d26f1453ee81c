"""Pulling a shop's stock feed (shops/feeds.py reads it) and applying it to its offers.

The rule when both sides sell: the feed reports what is on the shop's shelf. Units reserved
by Digitaix orders not yet collected are still on that shelf (they leave it when the resident
collects), so a pulled quantity replaces `num_in_stock` as it is, and Digitaix sells only
`num_in_stock - num_allocated`. When the shelf holds fewer than Digitaix orders reserve (the
till sold reserved units), `num_in_stock` is set to the reserved count: nothing more is sold
online, no accepted order is lost, and the line is reported so the shop can call the resident.
"""

import datetime
import time

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from shops.feeds import FeedError, FeedLine, feed_fetch, feed_parse
from shops.services.offers import OfferChange, offers_stock_update

Partner = get_model("partner", "Partner")
StockFeed = get_model("partner", "StockFeed")
StockRecord = get_model("partner", "StockRecord")
StockFeedRun = get_model("partner", "StockFeedRun")

MAX_UNKNOWN_LISTED = 20
# The shop is e-mailed (through the outbox) once its feed failed this many times in a row.
FAILURES_BEFORE_EMAIL = 3


def stock_feed_pull(*, feed: StockFeed) -> StockFeedRun:
    """Pull `feed` now and apply it (all its valid lines at once); the run is recorded and
    the next one scheduled, whatever happens."""
    started, clock = timezone.now(), time.monotonic()
    run = StockFeedRun(feed=feed, started_at=started)
    try:
        if feed.kind == StockFeed.Kind.WOOCOMMERCE:
            _woo_pull(feed, run)
        else:
            _file_pull(feed, run)
        feed.consecutive_failures, feed.last_success_at = 0, timezone.now()
    except FeedError as error:
        run.status, run.errors = StockFeedRun.Status.FAILED, [{"line": None, "message": str(error)}]
        feed.consecutive_failures += 1
    run.duration_ms = int((time.monotonic() - clock) * 1000)
    feed.next_run_at = started + datetime.timedelta(minutes=feed.period)
    with transaction.atomic():
        run.save()
        feed.save(update_fields=[
            "etag", "last_modified", "consecutive_failures", "last_success_at", "next_run_at"
        ])  # fmt: skip
        if feed.consecutive_failures == FAILURES_BEFORE_EMAIL:
            from shops.messages import stock_feed_failing_message_add

            stock_feed_failing_message_add(feed=feed, run=run)
    return run


def _file_pull(feed: StockFeed, run: StockFeedRun) -> None:
    fetched = feed_fetch(feed.url, etag=feed.etag, last_modified=feed.last_modified)
    if fetched.unchanged:
        run.status = StockFeedRun.Status.UNCHANGED
        return
    lines, run.errors = feed_parse(fetched.body)
    _apply(feed.shop, lines, run)
    run.status = StockFeedRun.Status.APPLIED
    feed.etag, feed.last_modified = fetched.etag, fetched.last_modified


def _woo_pull(feed: StockFeed, run: StockFeedRun) -> None:
    from shops.services.woocommerce import woo_pull
    from shops.woocommerce import WooError

    try:
        woo_pull(feed=feed, run=run)
    except WooError as error:
        raise FeedError(str(error)) from error
    run.status = StockFeedRun.Status.APPLIED


@transaction.atomic
def _apply(shop: Partner, lines: list[FeedLine], run: StockFeedRun) -> None:
    from shops import selectors

    offers = {
        o.partner_sku: o
        for o in selectors.merchant_offers_by_sku(shop=shop, skus={line.sku for line in lines})
    }
    changes, unknown = {}, []
    for line in lines:
        offer = offers.get(line.sku)
        if offer is None:
            unknown.append(line.sku)
            continue
        held = offer.num_allocated or 0
        if line.num_in_stock < held:
            run.errors.append({"line": line.line, "sku": line.sku, "message": _(
                "En rayon %(shelf)s, mais %(held)s réservés par des commandes Digitaix : "
                "stock mis à %(held)s, plus rien en vente en ligne."
            ) % {"shelf": line.num_in_stock, "held": held}})  # fmt: skip
        changes[offer.pk] = OfferChange(
            price=line.price if line.price is not None else offer.price,
            num_in_stock=max(line.num_in_stock, held),
            is_on_sale=offer.is_on_sale,
        )
    run.rows_updated = (
        offers_stock_update(shop=shop, changes=changes, source=StockRecord.StockSource.FEED)
        if changes
        else 0
    )
    run.rows_unchanged = len(changes) - run.rows_updated
    run.unknown_count, run.unknown_skus = len(unknown), unknown[:MAX_UNKNOWN_LISTED]


def stock_feeds_due(*, now: datetime.datetime | None = None) -> list[int]:
    """The active feeds whose next run is due (ids): each is pulled by a task of its own."""
    return list(
        StockFeed.objects.filter(is_active=True, next_run_at__lte=now or timezone.now())
        .order_by("next_run_at")
        .values_list("pk", flat=True)
    )


@transaction.atomic
def stock_feed_set(*, shop: Partner, url: str, period: int | None = None) -> StockFeed | None:
    """Set (or, with an empty `url`, remove) `shop`'s feed; its address is checked now
    (http/https, a public host) and again at each pull. The first pull is due at once."""
    from django.core.exceptions import ValidationError

    from shops.feeds import address_allowed

    url = (url or "").strip()
    if not url:
        StockFeed.objects.filter(shop=shop, kind=StockFeed.Kind.FILE).delete()
        return None
    if len(url) > 500:
        raise ValidationError({"stock_feed_url": _("500 caractères au plus.")})
    if period is not None and period not in StockFeed.Period.values:
        raise ValidationError({"stock_feed_period": _("15, 60 ou 1440 minutes.")})
    try:
        address_allowed(url)
    except FeedError as error:
        raise ValidationError({"stock_feed_url": str(error)}) from error
    feed, _created = StockFeed.objects.update_or_create(
        shop=shop,
        defaults={
            "kind": StockFeed.Kind.FILE, "woo_key": "", "woo_secret": "",
            "url": url, "is_active": True, "next_run_at": timezone.now(), "etag": "",
            "last_modified": "", **({"period": period} if period else {}),
        },
    )  # fmt: skip
    return feed
