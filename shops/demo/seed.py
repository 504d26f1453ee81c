"""Build the demo town: shops, accounts, then products and the shops' offers on them.

Everything is keyed by index (`boutique-007`, `DGX-000123`) and drawn from a
`random.Random` seeded with "<seed>:<kind>:<index>", so the same seed gives the same
town, a product never depends on how many products were asked for, and a rerun creates
only what is missing. Existing rows are never updated, whatever the seed.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import accumulate
from random import Random

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
from shops.demo.accounts import Login, accounts_seed
from shops.demo.trades import (
    FIRST_NAMES,
    FIRST_TRADES,
    PROFILES,
    QUARTERS,
    STREETS,
    SURNAMES,
    Trade,
    TradeProfile,
)
from shops.validators import luhn_ok

Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")

# Share of products that a second (now and then a third) shop sells too.
EXTRA_SELLER_RATE = 0.10
_SEARCH_CHUNK = 10_000
DEMO_POSTCODE, DEMO_CITY = "73100", "Aix-les-Bains"  # the town of the brief
_ELISION = re.compile(r"\bde ([AEIOUÉÈÊÂÎÔH])")


@dataclass(frozen=True)
class ShopSpec:
    index: int
    code: str
    trade: str
    name: str
    description: str
    first_name: str
    last_name: str
    address_line: str = ""
    phone: str = ""
    siret: str = ""


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


@transaction.atomic
def town_seed(
    *, shops: int, products: int, seed: int, progress: Progress | None = None
) -> TownSeed:
    """Create what is missing of a town of `shops` shops and `products` products.

    One transaction: an interrupted run leaves nothing half-built (only picture files).
    """
    specs = shop_specs(count=shops, seed=seed)
    town = TownSeed(shops=shops_seed(specs=specs))
    owners = {spec.code: (spec.first_name, spec.last_name) for spec in specs}
    town.logins = accounts_seed(shops=town.shops, owners=owners)
    town.product_ids, town.stockrecords = offers_seed(
        shops=town.shops, count=products, seed=seed, progress=progress
    )
    return town


def shop_code(index: int) -> str:
    return f"boutique-{index:03d}"


def shop_specs(*, count: int, seed: int) -> list[ShopSpec]:
    """The town's shops in index order; a name already taken gets its street appended."""
    specs: list[ShopSpec] = []
    taken: set[str] = set()
    for index in range(1, count + 1):
        spec = _shop_spec(index, Random(f"{seed}:boutique:{index}"), taken)
        taken.add(spec.name)
        specs.append(spec)
    return specs


def _shop_spec(index: int, rng: Random, taken: set[str]) -> ShopSpec:
    trade = FIRST_TRADES[index - 1] if index <= len(FIRST_TRADES) else _weighted_trade(rng)
    profile = PROFILES[trade]
    first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
    quarter, street = rng.choice(QUARTERS), rng.choice(STREETS)
    pattern = rng.choice(profile.names)
    name = _elide(pattern.format(nom=last, prenom=first, quartier=quarter))
    number, year = rng.randint(1, 60), rng.randint(1952, 2023)
    if name in taken:
        name = f"{name}, {street}"
    if name in taken:
        name = f"{name} ({index})"
    description = (
        f"{rng.choice(profile.pitches)} Au {number}, {street}, depuis {year} : "
        f"{first} {last} et son équipe vous accueillent du mardi au samedi."
    )
    phone = "04 79 " + " ".join(f"{rng.randint(0, 99):02d}" for _ in range(3))
    return ShopSpec(
        index,
        shop_code(index),
        str(trade),
        name,
        description,
        first,
        last,
        address_line=f"{number}, {street}",
        phone=phone,
        siret=_siret(rng),
    )


def _siret(rng: Random) -> str:
    """A made-up SIRET whose Luhn key checks, as a real one's does."""
    body = "".join(str(rng.randint(0, 9)) for _ in range(13))
    for key in "0123456789":
        if luhn_ok(body + key):
            return body + key
    raise AssertionError("unreachable: one key digit always checks")


def _elide(name: str) -> str:
    """French elision: "L'Atelier de Élodie" -> "L'Atelier d'Élodie"."""
    return _ELISION.sub(r"d'\1", name)


def _weighted_trade(rng: Random) -> str:
    trades = list(PROFILES)
    return rng.choices(trades, weights=[PROFILES[t].shop_weight for t in trades])[0]


def shops_seed(*, specs: list[ShopSpec]) -> list:
    """Create the missing shops; return all of them in index order."""
    codes = [spec.code for spec in specs]
    existing = set(Partner.objects.filter(code__in=codes).values_list("code", flat=True))
    now = timezone.now()
    Partner.objects.bulk_create(
        Partner(
            code=s.code,
            name=s.name,
            trade=s.trade,
            description=s.description,
            status=Partner.Status.LIVE,
            status_changed_at=now,
            address_line=s.address_line,
            postcode=DEMO_POSTCODE,
            city=DEMO_CITY,
            phone=s.phone,
            siret=s.siret,
        )
        for s in specs
        if s.code not in existing
    )
    by_code = Partner.objects.in_bulk(codes, field_name="code")
    return [by_code[code] for code in codes]


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


def _plan(index: int, seed: int, picker: _ShopPicker) -> ProductPlan:
    rng = Random(f"{seed}:produit:{index}")
    first = picker.first(rng)
    family = rng.choice(_profile(first).families)
    spec = product_spec(index=index, family_key=family, rng=rng)
    offers = [Offer(first.pk, spec.price, _stock(rng))]
    for shop in picker.others(rng, family, first):
        offers.append(Offer(shop.pk, price_variant(spec.price, rng), _stock(rng)))
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
    plans = [
        _plan(index, seed, picker)
        for index in range(1, count + 1)
        if upc_for(index) not in existing
    ]
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
