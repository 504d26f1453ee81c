"""The resident's choices per shop (click & collect or delivery, and a slot), checked against
what is offered right now, turned into shipping fees and the `ShopFulfilment`s the order
placement records.

Nothing here trusts the browser: the shops come from the basket, the slots from the
fulfilment provider, the fees from the delivery zones. A choice that no longer holds (a slot
gone by or filled, an address outside the zones) raises a French `ValidationError` whose
code tells the checkout which step to send the resident back to.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from orders.fulfilment import SlotChoice, fulfilment_provider
from orders.models import ShopOrder
from orders.services import ShopFulfilment, shop_sort_key

Partner = get_model("partner", "Partner")

Fulfilment = ShopOrder.Fulfilment
ZERO = Decimal("0.00")
# Codes of the errors to fix on the fulfilment page; any other is about the address.
FULFILMENT_STEP_CODES = frozenset(
    {"choice_missing", "fulfilment_not_offered", "slot_unavailable", "slot_full"}
)


@dataclass
class ShopPart:
    """One shop's part of the basket, and how the resident receives it."""

    shop: Partner
    lines: list = field(default_factory=list)
    lines_total: Decimal = ZERO
    fulfilment: str = ""
    slot: SlotChoice | None = None
    shipping: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.lines_total + self.shipping

    @property
    def is_delivery(self) -> bool:
        return self.fulfilment == Fulfilment.DELIVERY

    def offers(self, fulfilment: str) -> bool:
        if fulfilment == Fulfilment.DELIVERY:
            return self.shop.offers_delivery
        return fulfilment == Fulfilment.CLICK_COLLECT and self.shop.offers_click_collect


@dataclass
class FulfilmentPlan:
    parts: list[ShopPart]

    @property
    def shipping_total(self) -> Decimal:
        return sum((part.shipping for part in self.parts), ZERO)

    def shop_fulfilments(self) -> dict[int, ShopFulfilment]:
        return {
            part.shop.pk: ShopFulfilment(
                fulfilment=part.fulfilment,
                shipping=part.shipping,
                slot_start=part.slot.start if part.slot else None,
                slot_end=part.slot.end if part.slot else None,
            )
            for part in self.parts
        }


def basket_parts(basket) -> list[ShopPart]:
    """The basket's lines grouped by shop, shops sorted by name (as shop orders are
    numbered). Two queries whatever the number of shops and lines, after the basket's own."""
    by_shop: dict[int, list] = defaultdict(list)
    for line in basket.all_lines():
        by_shop[line.stockrecord.partner_id].append(line)
    shops = Partner.objects.filter(pk__in=list(by_shop)).prefetch_related(
        "opening_hours", "closing_periods"
    )
    parts = []
    for shop in sorted(shops, key=shop_sort_key):
        lines = by_shop[shop.pk]
        total = sum((line.line_price_incl_tax_incl_discounts for line in lines), ZERO)
        parts.append(ShopPart(shop=shop, lines=lines, lines_total=total))
    return parts


@dataclass
class SlotsOffered:
    """The slots open right now: each shop's pickup slots, and the town's delivery slots."""

    pickup: dict[int, list]
    delivery: list

    @classmethod
    def for_parts(cls, parts: list[ShopPart], now: datetime.datetime | None = None):
        provider = fulfilment_provider()
        shops = [part.shop for part in parts]
        delivering = any(part.shop.offers_delivery for part in parts)
        return cls(
            pickup={
                pk: list(slots) for pk, slots in provider.pickup_slots(shops=shops, now=now).items()
            },
            delivery=list(provider.delivery_slots(now=now)) if delivering else [],
        )

    def for_part(self, part: ShopPart, fulfilment: str) -> list:
        if fulfilment == Fulfilment.DELIVERY:
            return self.delivery
        return self.pickup.get(part.shop.pk, [])


def slot_key(slot: SlotChoice) -> str:
    """How a slot is named in forms and in the checkout session."""
    return slot.start.isoformat()


def plan_build(
    *, parts: list[ShopPart], choices: dict, postcode: str | None, offered: SlotsOffered
) -> FulfilmentPlan:
    """Apply the resident's `choices` ({shop id: {"fulfilment", "slot"}}, from the session)
    to the basket's `parts`; `postcode` is needed once a shop delivers."""
    for part in parts:
        choice = choices.get(str(part.shop.pk)) or {}
        part.fulfilment = choice.get("fulfilment", "")
        if not part.fulfilment:
            raise ValidationError(
                _("Choisissez comment recevoir vos articles de %(shop)s.")
                % {"shop": part.shop.name},
                code="choice_missing",
            )
        if not part.offers(part.fulfilment):
            raise ValidationError(
                _("%(shop)s ne propose plus ce mode de remise : choisissez-en un autre.")
                % {"shop": part.shop.name},
                code="fulfilment_not_offered",
            )
        part.slot = _slot_find(offered.for_part(part, part.fulfilment), choice.get("slot"))
        if part.slot is None:
            raise ValidationError(
                _("Le créneau choisi chez %(shop)s n'est plus disponible : choisissez-en un autre.")
                % {"shop": part.shop.name},
                code="slot_unavailable",
            )
        part.shipping = ZERO
    _delivery_fees(parts, postcode)
    return FulfilmentPlan(parts=parts)


def _delivery_fees(parts: list[ShopPart], postcode: str | None) -> None:
    """One delivery, one fee. The parts delivered in the same slot (one order, one address)
    make one drop: the zone's minimum order applies to the drop's goods, and its fee is paid
    once, split between the shops in proportion to their goods (`fee_split`)."""
    drops: dict[str, list[ShopPart]] = defaultdict(list)
    for part in parts:
        if part.is_delivery:
            drops[slot_key(part.slot)].append(part)
    for drop in drops.values():
        fee = _shipping(drop, postcode)
        for part, share in zip(drop, fee_split(fee, [p.lines_total for p in drop]), strict=True):
            part.shipping = share


def fee_split(fee: Decimal, amounts: list[Decimal]) -> list[Decimal]:
    """`fee` shared in proportion to `amounts`, to the cent, summing to `fee` exactly: each
    share rounded down, then the cents left over one each to the largest amounts (the first
    listed on a tie). Equal shares when every amount is 0."""
    cents = int((fee * 100).to_integral_value())
    total = sum(amounts, ZERO)
    weights = amounts if total > 0 else [Decimal(1)] * len(amounts)
    weight_total = sum(weights, ZERO)
    shares = [int(cents * w // weight_total) for w in weights]
    by_size = sorted(range(len(weights)), key=lambda i: (-weights[i], i))
    for i in by_size[: cents - sum(shares)]:
        shares[i] += 1
    return [Decimal(share) / 100 for share in shares]


def _slot_find(slots: list, key: str | None) -> SlotChoice | None:
    return next((slot for slot in slots if slot_key(slot) == key), None)


def _shipping(drop: list[ShopPart], postcode: str | None) -> Decimal:
    """The zone's fee for one drop (its shops' goods together), or a French error naming them."""
    if not postcode:
        raise ValidationError(_("Indiquez votre adresse de livraison."), code="address_missing")
    amount = sum((part.lines_total for part in drop), ZERO)
    try:
        return fulfilment_provider().delivery_fee(postcode=postcode, amount=amount)
    except ValidationError as error:
        message = " ".join(error.messages)
        names = ", ".join(part.shop.name for part in drop)
        raise ValidationError(f"{names} : {message}", code=error.code) from error
