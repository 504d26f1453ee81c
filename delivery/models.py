"""Delivery zones and the time slots (pickup in a shop, town-wide delivery) with their capacity.

Couriers, rounds and dispatch come with a later issue.
"""

from decimal import Decimal

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

validate_postcode = RegexValidator(r"^[0-9]{5}$", _("Un code postal compte 5 chiffres."))


class DeliveryZone(models.Model):
    """An area the town delivers to, by postcode, with its fee and minimum order."""

    name = models.CharField(_("Nom"), max_length=100, unique=True)
    is_active = models.BooleanField(_("Active"), default=True)
    fee = models.DecimalField(
        _("Frais de livraison (€)"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    minimum_order = models.DecimalField(
        _("Minimum de commande (€)"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0"))],
    )

    class Meta:
        ordering = ("name",)
        verbose_name = _("Zone de livraison")
        verbose_name_plural = _("Zones de livraison")
        constraints = [
            models.CheckConstraint(condition=Q(fee__gte=0), name="deliveryzone_fee_positive"),
            models.CheckConstraint(
                condition=Q(minimum_order__gte=0), name="deliveryzone_minimum_order_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class DeliveryZonePostcode(models.Model):
    """One postcode of a zone; unique, so a postcode belongs to one zone only."""

    zone = models.ForeignKey(DeliveryZone, on_delete=models.CASCADE, related_name="postcodes")
    postcode = models.CharField(
        _("Code postal"), max_length=5, unique=True, validators=[validate_postcode]
    )

    class Meta:
        ordering = ("postcode",)
        verbose_name = _("Code postal desservi")
        verbose_name_plural = _("Codes postaux desservis")
        constraints = [
            models.CheckConstraint(
                condition=Q(postcode__regex=r"^[0-9]{5}$"), name="deliveryzonepostcode_5_digits"
            ),
        ]

    def __str__(self) -> str:
        return self.postcode


class Slot(models.Model):
    """A booked-into time slot: a row exists once someone books it (offers are computed).

    A pickup slot belongs to a shop; a delivery slot is town-wide (`shop` is null). `booked`
    counts the `SlotBooking` rows and is kept by `delivery.services` under a row lock; the
    database refuses `booked > capacity` whatever happens.
    """

    class Kind(models.TextChoices):
        PICKUP = "pickup", _("Retrait en boutique")
        DELIVERY = "delivery", _("Livraison à domicile")

    kind = models.CharField(_("Type"), max_length=16, choices=Kind.choices)
    shop = models.ForeignKey(
        "partner.Partner",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="slots",
        verbose_name=_("Boutique"),
    )
    start = models.DateTimeField(_("Début"))
    end = models.DateTimeField(_("Fin"))
    capacity = models.PositiveSmallIntegerField(_("Capacité"))
    booked = models.PositiveSmallIntegerField(_("Réservations"), default=0)

    class Meta:
        ordering = ("start", "kind")
        verbose_name = _("Créneau")
        verbose_name_plural = _("Créneaux")
        constraints = [
            models.CheckConstraint(
                condition=Q(booked__lte=F("capacity")), name="slot_booked_within_capacity"
            ),
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="slot_end_after_start"),
            models.CheckConstraint(
                condition=Q(kind="pickup", shop__isnull=False)
                | Q(kind="delivery", shop__isnull=True),
                name="slot_shop_matches_kind",
            ),
            # (kind, shop, start) is unique; NULL shops are distinct in a plain unique index
            # on PostgreSQL, so town-wide slots get their own partial constraint.
            models.UniqueConstraint(
                fields=["kind", "shop", "start"],
                condition=Q(shop__isnull=False),
                name="slot_unique_shop_start",
            ),
            models.UniqueConstraint(
                fields=["kind", "start"],
                condition=Q(shop__isnull=True),
                name="slot_unique_town_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.start:%d/%m/%Y %H:%M}"

    @property
    def remaining(self) -> int:
        return max(self.capacity - self.booked, 0)


class SlotBooking(models.Model):
    """One order's place in a slot; `reference` is the shop order number (unique per slot)."""

    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="bookings")
    reference = models.CharField(_("Référence de commande"), max_length=64, db_index=True)
    created_at = models.DateTimeField(_("Réservé le"), auto_now_add=True)

    class Meta:
        ordering = ("created_at", "pk")
        verbose_name = _("Réservation de créneau")
        verbose_name_plural = _("Réservations de créneaux")
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "reference"], name="slotbooking_unique_reference"
            ),
            models.CheckConstraint(condition=~Q(reference=""), name="slotbooking_reference_set"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} · {self.slot}"
