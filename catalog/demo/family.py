"""A product family: one kind of product, its place in the tree and how to name and price it."""

from dataclasses import dataclass
from decimal import Decimal
from random import Random

_CENT = Decimal("0.01")


@dataclass(frozen=True)
class Family:
    """Word lists for one kind of product (say "Fromages").

    A title takes one option from each of `parts` ("" leaves the part out), so a dozen
    words per part give hundreds of distinct, plausible titles without a data file. An
    option may carry its price: "Comté 18 mois=6.90" sets the base price (otherwise
    `price`), "500 g*2" multiplies it, so a magnum costs more than a half-bottle.
    """

    key: str
    top: str
    sub: str
    parts: tuple[tuple[str, ...], ...]
    price: str
    blurbs: tuple[str, ...]

    def draw(self, rng: Random) -> tuple[str, Decimal]:
        """A title and a reference price: the base, its multipliers, then ±15 % of noise."""
        words, price = [], Decimal(self.price)
        for options in self.parts:
            word, base, factor = _parse(rng.choice(options))
            price = (base if base is not None else price) * factor
            if word:
                words.append(word)
        noise = Decimal(rng.randint(85, 115)) / 100
        return " ".join(words), shop_price(price * noise, rng)

    def description(self, rng: Random, *, closing: str) -> str:
        """Two sentences of the family's own, then one shared by its top-level category."""
        return " ".join([*rng.sample(self.blurbs, k=min(2, len(self.blurbs))), closing])


def _parse(option: str) -> tuple[str, Decimal | None, Decimal]:
    if "=" in option:
        word, price = option.rsplit("=", 1)
        return word, Decimal(price), Decimal(1)
    if "*" in option:
        word, factor = option.rsplit("*", 1)
        return word, None, Decimal(factor)
    return option, None, Decimal(1)


def shop_price(price: Decimal, rng: Random) -> Decimal:
    """Round like a shop: 5-cent steps under 10 €, 10 cents under 50 €, then 1 €; and a
    quarter of the prices above 5 € one cent under (x,99 / x,49)."""
    step = Decimal("0.05") if price < 10 else Decimal("0.10") if price < 50 else Decimal(1)
    rounded = max(step, (price / step).quantize(Decimal(1)) * step)
    if rounded > 5 and rng.random() < 0.25:
        rounded -= _CENT
    return rounded.quantize(_CENT)


def price_variant(price: Decimal, rng: Random) -> Decimal:
    """Another shop's price for the same product: within -10 % / +15 % of the first."""
    return shop_price(price * Decimal(rng.randint(90, 115)) / 100, rng)
