"""Build the demo town: shops, accounts, hours, then products and the shops' offers on them.

Everything is keyed by index (a shop's key `boutique-007`, a product's UPC `DGX-000123`)
and drawn from a `random.Random` seeded with "<seed>:<kind>:<index>", so the same seed gives
the same town, a product never depends on how many products were asked for, and a rerun
creates only what is missing. A shop is found again by its code, made from its name, which
depends on the seed: a database seeded with another seed is refused (`OtherSeedError`)
rather than given a second town. Existing rows are never updated.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from datetime import timedelta
from decimal import Decimal
from itertools import accumulate
from random import Random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from oscar.core.loading import get_model

from catalog.demo.family import price_variant
from catalog.demo.seed import (
    BATCH,
    ProductSpec,
    Progress,
    catalogue_seed,
    existing_products,
    product_spec,
    products_create,
    upc_for,
)
from catalog.services import product_search_refresh
from catalog.text import normalize
from shops.demo.accounts import MERCHANT_DOMAIN, Login, accounts_seed
from shops.demo.hours import calendar_seed
from shops.demo.pictures import pictures_store
from shops.demo.specs import DEMO_CITY, DEMO_POSTCODE, ShopSpec, town_specs
from shops.demo.trades import PROFILES, Trade, TradeProfile

Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")

# Share of products that a second (now and then a third) shop sells too.
EXTRA_SELLER_RATE = 0.10
# A suspended shop offers about half of the first SUSPENDED_WINDOW products of its trade.
SUSPENDED_WINDOW, SUSPENDED_OFFER_RATE = 100, 0.5
# A product whose title its shop already sells is drawn again, from another shop after
# every _REDRAWS_PER_SHOP draws: a shop never lists the same title twice.
_REDRAWS_PER_SHOP, _REDRAWS = 10, 50
_SEARCH_CHUNK = 10_000


class OtherSeedError(Exception):
    """The database holds a demo town drawn with another seed (or an older seed_town)."""


@dataclass(frozen=True)
class Offer:
    shop_id: int
    price: Decimal
    stock: int


@dataclass(frozen=True)
class ProductPlan:
    spec: ProductSpec
    offers: list[Offer]


@dataclass
class TownSeed:
    """What a run produced, for the command's summary."""

    shops: list = field(default_factory=list)
    logins: list[Login] = field(default_factory=list)
    product_ids: list[int] = field(default_factory=list)
    stockrecords: int = 0
    opening_hours: int = 0
    closing_periods: int = 0

    def statuses(self) -> dict[str, int]:
        """How many of the town's shops are in each status."""
        found = Counter(shop.status for shop in self.shops)
        return {status: found[status] for status in Partner.Status.values}


@transaction.atomic
def town_seed(
    *,
    shops: int,
    products: int,
    seed: int,
    progress: Progress | None = None,
    with_superuser: bool = True,
) -> TownSeed:
    """Create what is missing of a town of `shops` live shops and `products` products,
    plus a tenth as many shops again that are not live (none of their offers is on sale).
    `with_superuser`: also the demo administrator (whose password is public).

    One transaction: an interrupted run leaves nothing half-built (only picture files).
    """
    specs = town_specs(shops=shops, seed=seed)
    _same_seed_check(specs)
    town = TownSeed()
    town.shops, new_shops = shops_seed(specs=specs, progress=progress)
    owners = {spec.code: (spec.first_name, spec.last_name) for spec in specs}
    town.logins = accounts_seed(shops=town.shops, owners=owners, with_superuser=with_superuser)
    keys = {spec.code: spec.key for spec in specs}
    town.opening_hours, town.closing_periods = calendar_seed(
        shops=town.shops,
        new=new_shops,
        seed=seed,
        weeks={spec.code: spec.week for spec in specs},
        keys=keys,
    )
    sellers = town.shops[:shops]  # the live shops, whatever their status now, for the same draws
    town.product_ids, town.stockrecords = offers_seed(
        shops=sellers, count=products, seed=seed, progress=progress
    )
    suspended = [shop for shop in town.shops[shops:] if shop.status == Partner.Status.SUSPENDED]
    town.stockrecords += suspended_offers_seed(
        shops=suspended,
        sellers=sellers,
        keys=keys,
        new_shops=new_shops,
        new_products=set(town.product_ids),
        seed=seed,
    )
    return town


def _same_seed_check(specs: list[ShopSpec]) -> None:
    """Refuse a database whose demo merchants exist but not this seed's first shop: its
    town was drawn with another seed, and this one would build a second town beside it."""
    if not specs or Partner.objects.filter(code=specs[0].code).exists():
        return
    if get_user_model().objects.filter(email__endswith=f"@{MERCHANT_DOMAIN}").exists():
        raise OtherSeedError(specs[0].code)


def shops_seed(*, specs: list[ShopSpec], progress: Progress | None = None) -> tuple[list, set[int]]:
    """Create the missing shops, with their logo and banner.

    Returns all the shops in order, and the ids of those created now.
    """
    codes = [spec.code for spec in specs]
    existing = set(Partner.objects.filter(code__in=codes).values_list("code", flat=True))
    missing = [spec for spec in specs if spec.code not in existing]
    now = timezone.now()
    shops = []
    for done, spec in enumerate(missing, start=1):
        shops.append(_shop(spec, now))
        if progress and (done % 20 == 0 or done == len(missing)):
            progress("Boutiques", done, len(missing))
    Partner.objects.bulk_create(shops)
    by_code = Partner.objects.in_bulk(codes, field_name="code")
    return [by_code[code] for code in codes], {by_code[spec.code].pk for spec in missing}


def _shop(spec: ShopSpec, now):
    label = f"{Partner.Trade(spec.trade).label} — {spec.address_line}, {DEMO_CITY}"
    logo, banner, logo_sizes = pictures_store(
        code=spec.code,
        name=spec.name,
        trade=spec.trade,
        label=label,
        rng=Random(f"banniere:{spec.key}") if spec.banner else None,
    )
    return Partner(
        code=spec.code,
        name=spec.name,
        trade=spec.trade,
        description=spec.description,
        status=spec.status,
        status_reason=spec.status_reason,
        status_changed_at=now - timedelta(days=spec.status_days_ago),
        logo=logo,
        logo_renditions_of=logo,
        logo_renditions=logo_sizes,
        banner=banner,
        address_line=spec.address_line,
        postcode=DEMO_POSTCODE,
        city=DEMO_CITY,
        latitude=spec.latitude,
        longitude=spec.longitude,
        phone=spec.phone,
        email=spec.email,
        website=spec.website,
        siret=spec.siret,
        offers_click_collect=spec.click_collect,
        offers_delivery=spec.delivery,
    )


def _profile(shop) -> TradeProfile:
    return PROFILES.get(shop.trade, PROFILES[Trade.AUTRE])


class _ShopPicker:
    """Chooses a product's shops: the first weighted by the size of its trade's catalogue,
    the others among the shops whose trade sells that family too.

    Some families have no other seller in a small town, so the chance of an extra seller
    is scaled up to keep about EXTRA_SELLER_RATE of all products offered by several shops.
    """

    def __init__(self, shops: list) -> None:
        self.shops = shops
        weights = [_profile(shop).catalogue for shop in shops]
        self.cum_weights = list(accumulate(weights))
        self.sellers: dict[str, list] = defaultdict(list)
        for shop in shops:
            for family in (*_profile(shop).families, *_profile(shop).also):
                self.sellers[family].append(shop)
        covered = sum(w * self._shareable(s) for s, w in zip(shops, weights, strict=True))
        self.rate = min(1.0, EXTRA_SELLER_RATE * sum(weights) / covered) if covered else 0.0

    def _shareable(self, shop) -> float:
        """Share of a shop's families that another shop of the town could sell too."""
        families = _profile(shop).families
        shared = [f for f in families if any(s.pk != shop.pk for s in self.sellers[f])]
        return len(shared) / len(families)

    def first(self, rng: Random):
        return rng.choices(self.shops, cum_weights=self.cum_weights)[0]

    def others(self, rng: Random, family: str, first) -> list:
        roll = rng.random()
        candidates = [shop for shop in self.sellers[family] if shop.pk != first.pk]
        if roll >= self.rate or not candidates:
            return []
        count = 2 if roll < self.rate / 4 and len(candidates) > 1 else 1
        return rng.sample(candidates, count)


def title_key(title: str) -> str:
    """What makes two titles the same product for a shopper: case, accents and spaces aside."""
    return normalize(title)


def _plan(index: int, seed: int, picker: _ShopPicker, titles: dict[int, set[str]]) -> ProductPlan:
    """Product `index` and its offers, none from a shop that already sells its title
    (`titles`: shop id -> its title keys so far, which this plan joins)."""
    rng = Random(f"{seed}:produit:{index}")
    for attempt in range(_REDRAWS):
        if attempt % _REDRAWS_PER_SHOP == 0:
            first = picker.first(rng)
        family = rng.choice(_profile(first).families)
        spec = product_spec(index=index, family_key=family, rng=rng)
        key = title_key(spec.title)
        if key not in titles[first.pk]:
            break
    else:  # every shop drawn sells every title drawn: a town far larger than the reference
        spec = replace(spec, title=f"{spec.title} ({spec.upc})")
        key = title_key(spec.title)
    offers = [Offer(first.pk, spec.price, _stock(rng))]
    for shop in picker.others(rng, family, first):
        if key not in titles[shop.pk]:
            offers.append(Offer(shop.pk, price_variant(spec.price, rng), _stock(rng)))
    for offer in offers:
        titles[offer.shop_id].add(key)
    return ProductPlan(spec, offers)


def _stock(rng: Random) -> int:
    """Mostly in stock; one offer in twenty sold out, to show how the shop pages cope."""
    return 0 if rng.random() < 0.05 else rng.randint(2, 60)


def offers_seed(
    *, shops: list, count: int, seed: int, progress: Progress | None = None
) -> tuple[list[int], int]:
    """Create the missing products among the first `count` and the shops' offers on them.

    Returns the new products' ids and how many stock records were created.
    """
    catalogue = catalogue_seed()
    if not shops:
        return [], 0
    existing = existing_products(range(1, count + 1))
    picker = _ShopPicker(shops)
    titles: dict[int, set[str]] = defaultdict(set)
    # Every product is planned, those already made too, so that each one's shops know the
    # titles of the products before it, as in a town built in one go.
    plans = [_plan(index, seed, picker, titles) for index in range(1, count + 1)]
    plans = [plan for plan in plans if plan.spec.upc not in existing]
    ids = products_create(catalogue=catalogue, specs=[p.spec for p in plans], progress=progress)
    records = StockRecord.objects.bulk_create(_stockrecords(plans, ids), batch_size=BATCH)
    new_ids = list(ids.values())
    # One call per 10,000 products keeps the `pk IN (...)` under SQLite's variable limit.
    for start in range(0, len(new_ids), _SEARCH_CHUNK):
        product_search_refresh(product_ids=new_ids[start : start + _SEARCH_CHUNK])
        if progress:
            progress("Recherche", min(start + _SEARCH_CHUNK, len(new_ids)), len(new_ids))
    return new_ids, len(records)


def _stockrecords(plans: list[ProductPlan], ids: dict[str, int]) -> list:
    return [
        StockRecord(
            product_id=ids[plan.spec.upc],
            partner_id=offer.shop_id,
            partner_sku=plan.spec.upc,
            price_currency="EUR",
            price=offer.price,
            num_in_stock=offer.stock,
            low_stock_threshold=3,
        )
        for plan in plans
        for offer in plan.offers
    ]


def suspended_offers_seed(
    *,
    shops: list,
    sellers: list,
    keys: dict[str, str],
    new_shops: set[int],
    new_products: set[int],
    seed: int,
) -> int:
    """Offers of suspended shops on some of the first products that live shops of their
    trade (among `sellers`, the town's live shops in index order) sell too.

    Suspending the shop visibly removes its offers while the products stay on sale
    through the other shop, so they never change the number of products on sale. Each
    (shop, product) pair is drawn once, from "<seed>:offre:<key>:<upc>" (`keys`: code ->
    key), by the run that creates the later of the two: a town built in two steps gets the
    same offers, and a rerun adds none. A title the shop already offers is skipped.
    Returns how many stock records were created.
    """
    rank = {seller.pk: position for position, seller in enumerate(sellers)}
    created = []
    for shop in shops:
        rows = StockRecord.objects.filter(
            partner__in=[seller for seller in sellers if seller.trade == shop.trade],
            product__upc__lte=upc_for(SUSPENDED_WINDOW),
        ).values_list("product_id", "product__upc", "product__title", "price", "partner_id")
        first_offers: dict[str, tuple[int, str, Decimal]] = {}
        for product_id, upc, title, price, _seller in sorted(
            rows, key=lambda r: (r[1], rank[r[4]])
        ):
            if shop.pk in new_shops or product_id in new_products:
                first_offers.setdefault(upc, (product_id, title, price))
        offered = StockRecord.objects.filter(partner=shop).values_list("product__title", flat=True)
        titles = {title_key(title) for title in offered}
        for upc, (product_id, title, price) in sorted(first_offers.items()):
            rng = Random(f"{seed}:offre:{keys[shop.code]}:{upc}")
            if rng.random() < SUSPENDED_OFFER_RATE and title_key(title) not in titles:
                titles.add(title_key(title))
                created.append(_suspended_offer(shop, product_id, upc, price, rng))
    return len(StockRecord.objects.bulk_create(created, batch_size=BATCH))


def _suspended_offer(shop, product_id: int, upc: str, price: Decimal, rng: Random):
    return StockRecord(
        product_id=product_id,
        partner_id=shop.pk,
        partner_sku=upc,
        price_currency="EUR",
        price=price_variant(price, rng),
        num_in_stock=_stock(rng),
        low_stock_threshold=3,
    )
