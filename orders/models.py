"""Oscar's order app, forked: an order of a resident is split into one `ShopOrder` per shop.

Our models come before Oscar's star import, as Oscar's forking guide asks: Oscar's `models`
module only registers the models a fork has not already defined.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

_MONEY = {"max_digits": 12, "decimal_places": 2, "default": Decimal("0.00")}
# Totals are compared with a tolerance below one cent: exact on PostgreSQL's numeric, and
# safe on SQLite, which adds decimals as floats inside a CHECK.
_CENT_TOLERANCE = Decimal("0.001")


class ShopOrderFulfilment(models.TextChoices):
    CLICK_COLLECT = "click_collect", _("Retrait en boutique")
    DELIVERY = "delivery", _("Livraison à domicile")


class ShopOrderStatus(models.TextChoices):
    NEW = "new", _("Nouvelle")
    ACCEPTED = "accepted", _("Acceptée")
    READY = "ready", _("Prête")
    COLLECTED = "collected", _("Retirée")
    HANDED_TO_COURIER = "handed_to_courier", _("Remise au livreur")
    DELIVERED = "delivered", _("Livrée")
    DELIVERY_FAILED = "delivery_failed", _("Livraison échouée")
    REFUSED = "refused", _("Refusée")
    CANCELLED = "cancelled", _("Annulée")


class ShopOrder(models.Model):
    """One shop's part of an order: its lines, its fulfilment, its own status and payment.

    The shop prepares, hands over and is paid for its part independently of the other shops
    of the same basket; the overall `Order.status` follows from its shop orders
    (`orders.workflow.order_status_for`).
    """

    Fulfilment = ShopOrderFulfilment
    Status = ShopOrderStatus

    order = models.ForeignKey(
        "order.Order",
        on_delete=models.CASCADE,
        related_name="shop_orders",
        verbose_name=_("Commande"),
    )
    shop = models.ForeignKey(
        "partner.Partner",
        on_delete=models.PROTECT,
        related_name="shop_orders",
        verbose_name=_("Boutique"),
    )
    number = models.CharField(_("Numéro"), max_length=128, unique=True)
    fulfilment = models.CharField(
        _("Mode de remise"),
        max_length=16,
        choices=Fulfilment.choices,
        default=Fulfilment.CLICK_COLLECT,
    )
    status = models.CharField(
        _("Statut"), max_length=32, choices=Status.choices, default=Status.NEW, db_index=True
    )
    status_reason = models.TextField(_("Motif du statut"), blank=True)
    lines_total = models.DecimalField(_("Total des articles TTC"), **_MONEY)
    shipping_total = models.DecimalField(_("Frais de livraison TTC"), **_MONEY)
    total = models.DecimalField(_("Total TTC"), **_MONEY)
    is_paid = models.BooleanField(_("Payée"), default=False)
    paid_at = models.DateTimeField(_("Payée le"), null=True, blank=True)
    slot_start = models.DateTimeField(_("Début du créneau"), null=True, blank=True)
    slot_end = models.DateTimeField(_("Fin du créneau"), null=True, blank=True)
    # Indexed: the merchant's list is newest first, the town's console counts the last days.
    created_at = models.DateTimeField(
        _("Créée le"), default=timezone.now, editable=False, db_index=True
    )
    updated_at = models.DateTimeField(_("Modifiée le"), auto_now=True)

    class Meta:
        app_label = "order"
        ordering = ["order_id", "number"]
        verbose_name = _("Commande d'une boutique")
        verbose_name_plural = _("Commandes des boutiques")
        constraints = [
            models.UniqueConstraint(fields=["order", "shop"], name="shoporder_one_per_shop"),
            models.CheckConstraint(
                condition=Q(lines_total__gte=0) & Q(shipping_total__gte=0),
                name="shoporder_totals_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(total__gte=F("lines_total") + F("shipping_total") - _CENT_TOLERANCE)
                & Q(total__lte=F("lines_total") + F("shipping_total") + _CENT_TOLERANCE),
                name="shoporder_total_is_lines_plus_shipping",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ShopOrderStatus.values),
                name="shoporder_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(fulfilment__in=ShopOrderFulfilment.values),
                name="shoporder_fulfilment_valid",
            ),
            models.CheckConstraint(
                condition=Q(is_paid=False) | Q(paid_at__isnull=False),
                name="shoporder_paid_has_date",
            ),
            models.CheckConstraint(
                condition=Q(slot_start__isnull=True)
                | Q(slot_end__isnull=True)
                | Q(slot_end__gt=F("slot_start")),
                name="shoporder_slot_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class ShopOrderEvent(models.Model):
    """The audit trail of a shop order: every status change, who made it and why.

    An event whose `from_status` equals its `to_status` records a payment
    (`shop_order_mark_paid`): who recorded it, and when.
    """

    shop_order = models.ForeignKey(
        ShopOrder,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("Commande de la boutique"),
    )
    from_status = models.CharField(
        _("Ancien statut"), max_length=32, choices=ShopOrder.Status.choices
    )
    to_status = models.CharField(
        _("Nouveau statut"), max_length=32, choices=ShopOrder.Status.choices
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Auteur"),
    )
    reason = models.TextField(_("Motif"), blank=True)
    # How it was made when no person's account did it in the space: "API (clé « Caisse »)".
    via = models.CharField(_("Par"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("Date"), default=timezone.now, editable=False)

    class Meta:
        app_label = "order"
        ordering = ["created_at", "pk"]
        verbose_name = _("Événement d'une commande de boutique")
        verbose_name_plural = _("Événements des commandes de boutique")

    def __str__(self) -> str:
        return f"{self.shop_order_id}: {self.from_status} → {self.to_status}"


# --- Payments by Stripe (orders.payments) ---------------------------------------------------


class OrderPayment(models.Model):
    """The resident's one card payment for a whole order, through a Stripe Checkout Session.

    An order without one is paid at pickup or delivery (the merchant marks it paid). While it
    is `pending`, the order's shops do not see the order (`orders.selectors.payment_settled_q`).
    """

    class Method(models.TextChoices):
        STRIPE = "stripe", _("Carte bancaire (Stripe)")

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente")
        PAID = "paid", _("Payé")
        FAILED = "failed", _("Échoué")
        EXPIRED = "expired", _("Expiré")

    order = models.OneToOneField(
        "order.Order", on_delete=models.PROTECT, related_name="payment", verbose_name=_("Commande")
    )
    method = models.CharField(
        _("Moyen de paiement"), max_length=16, choices=Method.choices, default=Method.STRIPE
    )
    session_id = models.CharField(_("Session Stripe"), max_length=255, unique=True)
    checkout_url = models.URLField(_("Page de paiement"), max_length=2000, blank=True)
    payment_intent_id = models.CharField(_("PaymentIntent Stripe"), max_length=255, blank=True)
    charge_id = models.CharField(_("Paiement Stripe"), max_length=255, blank=True)
    amount_cents = models.PositiveIntegerField(_("Montant (centimes)"))
    status = models.CharField(
        _("Statut"), max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    created_at = models.DateTimeField(_("Créé le"), default=timezone.now, editable=False)
    paid_at = models.DateTimeField(_("Payé le"), null=True, blank=True)

    class Meta:
        app_label = "order"
        verbose_name = _("Paiement d'une commande")
        verbose_name_plural = _("Paiements des commandes")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "paid", "failed", "expired"]),
                name="orderpayment_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="paid") | (Q(paid_at__isnull=False) & ~Q(charge_id="")),
                name="orderpayment_paid_has_date_and_charge",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order_id} · {self.session_id} · {self.status}"


class StripeEvent(models.Model):
    """A webhook event already received: its id is unique, so each event is processed once."""

    event_id = models.CharField(_("Événement Stripe"), max_length=255, unique=True)
    type = models.CharField(_("Type"), max_length=128)
    created = models.DateTimeField(_("Émis le"), null=True, blank=True)
    received_at = models.DateTimeField(_("Reçu le"), default=timezone.now, editable=False)
    processed_at = models.DateTimeField(_("Traité le"), null=True, blank=True)

    class Meta:
        app_label = "order"
        ordering = ["-received_at", "-pk"]
        verbose_name = _("Événement Stripe")
        verbose_name_plural = _("Événements Stripe")

    def __str__(self) -> str:
        return f"{self.event_id} ({self.type})"


class ShopPayout(models.Model):
    """What a shop is paid for a collected/delivered shop order of a card-paid order: the shop
    order's total minus the town's commission, transferred to its Stripe connected account.

    Recorded `pending` first (the shop may not have connected its account yet), then
    `transferred` with the transfer's id; `amount + commission == shop_order.total`.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente")
        TRANSFERRED = "transferred", _("Versé")

    shop_order = models.OneToOneField(
        ShopOrder, on_delete=models.PROTECT, related_name="payout", verbose_name=_("Commande")
    )
    amount = models.DecimalField(_("Montant versé"), **_MONEY)
    commission = models.DecimalField(_("Commission"), **_MONEY)
    status = models.CharField(
        _("Statut"), max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    transfer_id = models.CharField(_("Virement Stripe"), max_length=255, blank=True)
    last_error = models.TextField(_("Dernière erreur"), blank=True)
    created_at = models.DateTimeField(_("Créé le"), default=timezone.now, editable=False)
    transferred_at = models.DateTimeField(_("Versé le"), null=True, blank=True)

    class Meta:
        app_label = "order"
        verbose_name = _("Versement à une boutique")
        verbose_name_plural = _("Versements aux boutiques")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0) & Q(commission__gte=0), name="shoppayout_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "transferred"]), name="shoppayout_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status="transferred") | Q(transferred_at__isnull=False),
                name="shoppayout_transferred_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.shop_order} · {self.amount} · {self.status}"


class ShopRefund(models.Model):
    """The resident's money given back for a refused or cancelled shop order of a card-paid
    order: the shop order's whole total, refunded on the order's PaymentIntent."""

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente")
        REFUNDED = "refunded", _("Remboursé")

    shop_order = models.OneToOneField(
        ShopOrder, on_delete=models.PROTECT, related_name="refund", verbose_name=_("Commande")
    )
    amount = models.DecimalField(_("Montant remboursé"), **_MONEY)
    status = models.CharField(
        _("Statut"), max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    refund_id = models.CharField(_("Remboursement Stripe"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("Créé le"), default=timezone.now, editable=False)
    refunded_at = models.DateTimeField(_("Remboursé le"), null=True, blank=True)

    class Meta:
        app_label = "order"
        verbose_name = _("Remboursement d'une boutique")
        verbose_name_plural = _("Remboursements des boutiques")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="shoprefund_not_negative"),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "refunded"]), name="shoprefund_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status="refunded") | Q(refunded_at__isnull=False),
                name="shoprefund_refunded_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.shop_order} · {self.amount} · {self.status}"


from oscar.apps.order.models import *  # noqa: E402, F403
