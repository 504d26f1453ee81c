"""Delivery zones, the time slots (pickup in a shop, town-wide delivery) with their capacity,
and the delivery service: couriers, the rounds built for each delivery slot and their stops.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
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
    # Delivery slots: when its rounds were built (at its cut-off), so beat builds each once.
    rounds_built_at = models.DateTimeField(_("Tournées construites le"), null=True, blank=True)

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


COURIERS_GROUP = "Livreurs"
COURIER_MAX_CAPACITY = 200
validate_weekdays = RegexValidator(
    r"^[0-6]{0,7}$", _("Les jours sont des chiffres de 0 (lundi) à 6 (dimanche).")
)


class Courier(models.Model):
    """A member of the town's delivery service: a user of the COURIERS_GROUP group, with the
    number of parcels a round may hold and the weekdays they work."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="courier",
        verbose_name=_("Compte"),
    )
    capacity = models.PositiveSmallIntegerField(
        _("Colis par tournée"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(COURIER_MAX_CAPACITY)],
    )
    working_days = models.CharField(
        _("Jours travaillés"),
        max_length=7,
        default="01234",
        validators=[validate_weekdays],
        help_text=_("0 = lundi … 6 = dimanche, par exemple 01234 du lundi au vendredi."),
    )
    is_active = models.BooleanField(_("En service"), default=True)

    class Meta:
        ordering = ("user__first_name", "user__last_name", "pk")
        verbose_name = _("Livreur")
        verbose_name_plural = _("Livreurs")
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gte=1) & Q(capacity__lte=COURIER_MAX_CAPACITY),
                name="courier_capacity_range",
            ),
            models.CheckConstraint(
                condition=Q(working_days__regex=r"^[0-6]{0,7}$"), name="courier_working_days"
            ),
        ]

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.email

    def works_on(self, day) -> bool:
        return str(day.weekday()) in self.working_days


class Round(models.Model):
    """One courier's round for one delivery slot: pickups at the shops, then drops at the
    residents, in `RoundStop.position` order. Built at the slot's cut-off; rebuilt only while
    `planned`; once under way it is the courier's and never rebuilt."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Prévue")
        UNDER_WAY = "under_way", _("En cours")
        DONE = "done", _("Terminée")

    slot = models.ForeignKey(
        Slot, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("Créneau")
    )
    courier = models.ForeignKey(
        Courier, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("Livreur")
    )
    status = models.CharField(
        _("Statut"), max_length=16, choices=Status.choices, default=Status.PLANNED
    )
    distance_km = models.DecimalField(
        _("Distance (km)"), max_digits=7, decimal_places=2, default=Decimal("0.00")
    )
    built_at = models.DateTimeField(_("Construite le"), default=timezone.now)
    started_at = models.DateTimeField(_("Commencée le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("Terminée le"), null=True, blank=True)

    class Meta:
        ordering = ("slot__start", "courier_id", "pk")
        verbose_name = _("Tournée")
        verbose_name_plural = _("Tournées")
        constraints = [
            models.UniqueConstraint(fields=["slot", "courier"], name="round_one_per_courier"),
            models.CheckConstraint(
                condition=Q(status__in=["planned", "under_way", "done"]), name="round_status"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.slot} · {self.courier}"


class RoundStop(models.Model):
    """A stop of a round: a pickup at a shop (its parcels for this round) or a drop at a
    resident (one shop order). The coordinates are those the route was planned on."""

    class Kind(models.TextChoices):
        PICKUP = "pickup", _("Retrait en boutique")
        DROP = "drop", _("Livraison")

    class Status(models.TextChoices):
        PENDING = "pending", _("À faire")
        DONE = "done", _("Fait")
        FAILED = "failed", _("Échec")

    class Failure(models.TextChoices):
        ABSENT = "absent", _("Client absent")
        WRONG_ADDRESS = "wrong_address", _("Adresse introuvable")
        REFUSED = "refused", _("Colis refusé")

    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="stops", verbose_name=_("Tournée")
    )
    position = models.PositiveSmallIntegerField(_("Ordre"))
    kind = models.CharField(_("Type"), max_length=8, choices=Kind.choices)
    shop = models.ForeignKey(
        "partner.Partner", on_delete=models.PROTECT, related_name="+", verbose_name=_("Boutique")
    )
    shop_order = models.ForeignKey(
        "order.ShopOrder",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="round_stops",
        verbose_name=_("Commande de la boutique"),
    )
    latitude = models.FloatField(_("Latitude"), null=True, blank=True)
    longitude = models.FloatField(_("Longitude"), null=True, blank=True)
    status = models.CharField(
        _("Statut"), max_length=8, choices=Status.choices, default=Status.PENDING
    )
    failure = models.CharField(
        _("Motif de l'échec"), max_length=16, choices=Failure.choices, blank=True
    )
    replan = models.BooleanField(_("À replanifier"), default=False)
    done_at = models.DateTimeField(_("Fait le"), null=True, blank=True)

    class Meta:
        ordering = ("round_id", "position")
        verbose_name = _("Arrêt")
        verbose_name_plural = _("Arrêts")
        constraints = [
            models.UniqueConstraint(fields=["round", "position"], name="roundstop_unique_position"),
            # A shop order is in one round at a time: one drop still to do.
            models.UniqueConstraint(
                fields=["shop_order"],
                condition=Q(kind="drop", status="pending"),
                name="roundstop_one_pending_drop",
            ),
            models.CheckConstraint(
                condition=Q(kind="pickup", shop_order__isnull=True)
                | Q(kind="drop", shop_order__isnull=False),
                name="roundstop_drop_has_shop_order",
            ),
            models.CheckConstraint(
                condition=Q(status="failed") | Q(failure=""), name="roundstop_failure_if_failed"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round_id}#{self.position} {self.kind}"


class DispatchAlert(models.Model):
    """Something staff must act on when rounds are built: no courier for a slot, or parcels
    beyond the couriers' capacity. The shop orders stay ready and go to the next slot."""

    slot = models.ForeignKey(
        Slot, on_delete=models.CASCADE, related_name="alerts", verbose_name=_("Créneau")
    )
    message = models.TextField(_("Message"))
    shop_orders = models.PositiveIntegerField(_("Commandes concernées"), default=0)
    created_at = models.DateTimeField(_("Le"), default=timezone.now)
    resolved_at = models.DateTimeField(_("Traitée le"), null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-pk")
        verbose_name = _("Alerte de tournée")
        verbose_name_plural = _("Alertes de tournée")

    def __str__(self) -> str:
        return self.message
