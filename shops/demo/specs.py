"""The demo shops as plain data, before any row exists: who, where, and in which status.

The `shops` live shops are drawn from `random.Random("<seed>:boutique:<index>")` under the
key `boutique-001`, `boutique-002`… A few more shops that are not live (pending, suspended,
rejected) show the moderation screens; they are numbered per status (keys `attente-001`,
`suspendue-001`, `refusee-001`) and drawn from "<seed>:<prefix>:<number>". New draws (map
position, contact, services) come after the original ones, so names and SIRETs never move.

A key only seeds the draws: the shop's code, its address on the site, is made from its
name as onboarding makes a real shop's (`slugify(name)`, then -2, -3… when taken), so the
demo's storefronts read `/boutiques/boulangerie-lambert/`. Names and codes are made unique
in the order shops appear as the town grows (live shop n, then the shops that are not live
a town of n shops adds), so a shop's code depends on the seed only, never on the town's
size: a rerun, or a larger town, finds every shop it already made under the same code.
"""

import math
import re
from collections import Counter
from dataclasses import dataclass, replace
from datetime import time
from decimal import Decimal
from random import Random

from django.utils.text import slugify
from stdnum import luhn
from stdnum.fr import siret as stdnum_siret

from catalog.text import normalize
from shops.demo.hours import days_open_phrase, week
from shops.demo.trades import (
    FIRST_NAMES,
    FIRST_TRADES,
    PROFILES,
    QUARTERS,
    STREETS,
    SURNAMES,
)
from shops.models import Partner
from shops.onboarding import CODE_MAX_LENGTH, SPACE_WORDS

Status = Partner.Status
DEMO_POSTCODE, DEMO_CITY = "73100", "Aix-les-Bains"  # the town of the brief
TOWN_CENTRE = (45.688, 5.915)  # Aix-les-Bains, by the town hall
STREETS_RADIUS_M, SHOP_JITTER_M = 1_200, 120  # a street within 1.2 km, a shop along it
_METRES_PER_DEGREE = 111_320
_ELISION = re.compile(r"\bde ([AEIOUÉÈÊÂÎÔH])")

# (code prefix, reasons the town hall gave, of which one is drawn)
NOT_LIVE: dict[str, tuple[str, tuple[str, ...]]] = {
    Status.PENDING: ("attente", ()),
    Status.SUSPENDED: (
        "suspendue",
        (
            "Produits non conformes signalés par des habitants.",
            "Commandes non honorées à plusieurs reprises : les clients ont trouvé porte close.",
            "Prix en ligne différents des prix en boutique, signalés par des habitants.",
        ),
    ),
    Status.REJECTED: (
        "refusee",
        (
            "SIRET introuvable au répertoire Sirene : merci de vérifier le numéro saisi.",
            "Pas de boutique ouverte au public à Aix-les-Bains : la place de marché est "
            "réservée aux commerces de la ville.",
            "Dossier incomplet : extrait Kbis de moins de trois mois manquant.",
        ),
    ),
}


@dataclass(frozen=True)
class ShopSpec:
    index: int
    key: str  # seeds the shop's draws (`boutique-007`); its code is made from its name
    code: str
    trade: str
    name: str
    description: str
    first_name: str
    last_name: str
    address_line: str = ""
    phone: str = ""
    siret: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    email: str = ""
    website: str = ""
    click_collect: bool = True
    delivery: bool = False
    banner: bool = True
    status: str = Status.LIVE
    status_reason: str = ""
    status_days_ago: int = 0  # when the town hall last changed the status
    week: tuple[tuple[int, time, time], ...] = ()  # (weekday, opens, closes), Monday = 0


def shop_key(index: int) -> str:
    return f"boutique-{index:03d}"


def town_specs(*, shops: int, seed: int) -> list[ShopSpec]:
    """The town's `shops` live shops in index order, then the shops that are not live, by
    status; every name and every code is unique (see the module's docstring)."""
    names: set[str] = set()
    codes: set[str] = set(SPACE_WORDS)
    live: list[ShopSpec] = []
    others: dict[tuple[str, int], ShopSpec] = {}
    born: Counter[str] = Counter()
    for index in range(1, shops + 1):
        live.append(_live_spec(index, seed, names, codes))
        for status, count in not_live_counts(index).items():
            while born[status] < count:  # a shop born once keeps its name and code
                born[status] += 1
                others[status, born[status]] = _not_live_spec(
                    status, born[status], seed, names, codes
                )
    wanted = not_live_counts(shops)
    kept = sorted(
        (key for key in others if key[1] <= wanted.get(key[0], 0)),
        key=lambda key: (list(NOT_LIVE).index(key[0]), key[1]),
    )
    return live + [others[key] for key in kept]


def not_live_counts(live: int) -> dict[str, int]:
    """A tenth as many shops again (at least one per status) waiting, suspended or refused."""
    if not live:
        return {}
    total = max(3, live // 10)
    suspended = rejected = max(1, total // 5)
    return {
        Status.PENDING: total - suspended - rejected,
        Status.SUSPENDED: suspended,
        Status.REJECTED: rejected,
    }


def _live_spec(index: int, seed: int, names: set[str], codes: set[str]) -> ShopSpec:
    rng = Random(f"{seed}:boutique:{index}")
    trade = FIRST_TRADES[index - 1] if index <= len(FIRST_TRADES) else _weighted_trade(rng)
    return _shop_spec(index, shop_key(index), trade, rng, seed, names, codes)


def _not_live_spec(
    status: str, number: int, seed: int, names: set[str], codes: set[str]
) -> ShopSpec:
    """Suspended shops take the first trades in order (a bakery first), so that even a
    small town has products they can offer too."""
    prefix, reasons = NOT_LIVE[status]
    rng = Random(f"{seed}:{prefix}:{number}")
    if status == Status.SUSPENDED:
        trade = FIRST_TRADES[(number - 1) % len(FIRST_TRADES)]
    else:
        trade = _weighted_trade(rng)
    spec = _shop_spec(number, f"{prefix}-{number:03d}", trade, rng, seed, names, codes)
    reason = rng.choice(reasons) if reasons else ""
    days = rng.randint(1, 60)
    return replace(spec, status=status, status_reason=reason, status_days_ago=days)


def shop_code(name: str, taken: set[str]) -> str:
    """The code onboarding would give a shop of this name (`shops.onboarding.shop_code_free`)
    in a town whose codes are `taken`, which it joins."""
    base = slugify(name)[: CODE_MAX_LENGTH - 8].strip("-") or "boutique"
    code, number = base, 2
    while code in taken:
        code, number = f"{base}-{number}", number + 1
    taken.add(code)
    return code


def _shop_spec(
    index: int, key: str, trade: str, rng: Random, seed: int, names: set[str], codes: set[str]
) -> ShopSpec:
    """One shop, its name made unique among `names` and its code among `codes` (both
    joined). Its week is drawn from "<seed>:horaires:<key>", and its description says the
    days of that week, so the two cannot disagree."""
    profile = PROFILES[trade]
    first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
    quarter, street = rng.choice(QUARTERS), rng.choice(STREETS)
    pattern = rng.choice(profile.names)
    name = _elide(pattern.format(nom=last, prenom=first, quartier=quarter))
    number, year = rng.randint(1, 60), rng.randint(1952, 2023)
    if name in names:
        name = f"{name}, {street}"
    if name in names:
        name = f"{name} ({index})"
    names.add(name)
    days = week(trade=trade, rng=Random(f"{seed}:horaires:{key}"))
    description = (
        f"{rng.choice(profile.pitches)} Au {number}, {street}, depuis {year} : "
        f"{first} {last} et son équipe vous accueillent "
        f"{days_open_phrase(day for day, _o, _c in days)}."
    )
    phone = "04 79 " + " ".join(f"{rng.randint(0, 99):02d}" for _ in range(3))
    siret = _siret(rng)
    latitude, longitude = _position(street, rng)
    domain = f"{slugify(normalize(name))[:40].strip('-') or key}.example"
    website = f"https://www.{domain}" if rng.random() < 0.4 else ""
    click_collect, delivery, banner = rng.random() < 0.9, rng.random() < 0.5, rng.random() < 0.85
    return ShopSpec(
        index,
        key,
        shop_code(name, codes),
        str(trade),
        name,
        description,
        first,
        last,
        address_line=f"{number}, {street}",
        phone=phone,
        siret=siret,
        latitude=latitude,
        longitude=longitude,
        email=f"contact@{domain}",
        website=website,
        click_collect=click_collect or not delivery,  # a shop offers one of the two at least
        delivery=delivery,
        banner=banner,
        week=tuple(days),
    )


def _position(street: str, rng: Random) -> tuple[Decimal, Decimal]:
    """A point along the shop's street: each street sits at a fixed place within 1.2 km of
    the centre (drawn from its name), its shops within 120 m of it; about 1.3 km at most."""
    street_rng = Random(f"rue:{street}")
    north, east = _offset(street_rng, STREETS_RADIUS_M)
    jitter_north, jitter_east = _offset(rng, SHOP_JITTER_M)
    latitude = TOWN_CENTRE[0] + (north + jitter_north) / _METRES_PER_DEGREE
    longitude_scale = _METRES_PER_DEGREE * math.cos(math.radians(TOWN_CENTRE[0]))
    longitude = TOWN_CENTRE[1] + (east + jitter_east) / longitude_scale
    return Decimal(f"{latitude:.6f}"), Decimal(f"{longitude:.6f}")


def _offset(rng: Random, radius: float) -> tuple[float, float]:
    """(north, east) metres of a point drawn evenly within a disc of `radius` metres."""
    distance, angle = radius * math.sqrt(rng.random()), rng.uniform(0, 2 * math.pi)
    return distance * math.cos(angle), distance * math.sin(angle)


def _siret(rng: Random) -> str:
    """A made-up SIRET that checks as a real one does: a SIREN (8 digits and its Luhn key),
    then 4 establishment digits and the key of the whole. It draws 13 digits, as it always
    has, so that the draws after it (position, contact, services) never move."""
    while True:
        digits = "".join(str(rng.randint(0, 9)) for _ in range(13))
        siren = digits[:8] + luhn.calc_check_digit(digits[:8])
        body = siren + digits[9:]
        siret = body + luhn.calc_check_digit(body)
        if stdnum_siret.is_valid(siret):  # not one of La Poste's (1 draw in 10^8)
            return siret


def _elide(name: str) -> str:
    """French elision: "L'Atelier de Élodie" -> "L'Atelier d'Élodie"."""
    return _ELISION.sub(r"d'\1", name)


def _weighted_trade(rng: Random) -> str:
    trades = list(PROFILES)
    return rng.choices(trades, weights=[PROFILES[t].shop_weight for t in trades])[0]
