from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from oscar.apps.partner.abstract_models import AbstractPartner, AbstractStockRecord

from shops.validators import validate_siret

# Bounds of a shop's click & collect settings: a week of preparation at most, slots from
# 10 minutes to 4 hours, up to 100 orders per slot.
PICKUP_LEAD_MAX_MINUTES = 7 * 24 * 60
PICKUP_SLOT_MIN_MINUTES = 10
PICKUP_SLOT_MAX_MINUTES = 240
PICKUP_SLOT_MAX_CAPACITY = 100

# Small words left out of a shop's initials.
_NAME_LINKS = {"l", "la", "le", "les", "d", "de", "des", "du", "et", "au", "aux", "chez", "&"}


class Partner(AbstractPartner):
    """A shop of the town: Oscar's partner plus its public profile and its status.

    Only `live` shops, and the products they offer, are shown to the public. Oscar's
    `code` (a unique slug made from the name) is the shop's address: /boutiques/<code>/.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente de validation")
        LIVE = "live", _("En ligne")
        REJECTED = "rejected", _("Refusée")
        SUSPENDED = "suspended", _("Suspendue")

    class Trade(models.TextChoices):
        BOULANGERIE = "boulangerie", _("Boulangerie-pâtisserie")
        BOUCHERIE = "boucherie", _("Boucherie-charcuterie")
        FROMAGERIE = "fromagerie", _("Fromagerie")
        PRIMEUR = "primeur", _("Primeur")
        EPICERIE = "epicerie", _("Épicerie fine")
        CAVISTE = "caviste", _("Caviste")
        LIBRAIRIE = "librairie", _("Librairie")
        FLEURISTE = "fleuriste", _("Fleuriste")
        PRET_A_PORTER = "pret-a-porter", _("Prêt-à-porter")
        CHAUSSURES = "chaussures", _("Chaussures")
        QUINCAILLERIE = "quincaillerie", _("Quincaillerie")
        JOUETS = "jouets", _("Jouets")
        BIJOUTERIE = "bijouterie", _("Bijouterie")
        DROGUERIE = "droguerie", _("Droguerie")
        AUTRE = "autre", _("Autre commerce")

    trade = models.CharField(_("Métier"), max_length=32, choices=Trade.choices, default=Trade.AUTRE)
    description = models.TextField(_("Présentation"), blank=True)
    status = models.CharField(
        _("Statut"), max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    status_reason = models.TextField(_("Motif du statut"), blank=True)
    status_changed_at = models.DateTimeField(_("Statut modifié le"), null=True, blank=True)
    logo = models.ImageField(_("Logo"), upload_to="shops/logos/", blank=True)
    banner = models.ImageField(_("Bannière"), upload_to="shops/banners/", blank=True)
    # The logo and banner whose small WebP copies exist, and their sizes, [slot, width,
    # height] each (shops.renditions): the pages show those, sized for their slot; while one
    # differs from its picture they show the picture itself.
    logo_renditions_of = models.CharField(max_length=255, blank=True, editable=False)
    logo_renditions = models.JSONField(default=list, blank=True, editable=False)
    banner_renditions_of = models.CharField(max_length=255, blank=True, editable=False)
    banner_renditions = models.JSONField(default=list, blank=True, editable=False)
    address_line = models.CharField(_("Adresse"), max_length=255, blank=True)
    postcode = models.CharField(_("Code postal"), max_length=10, blank=True)
    city = models.CharField(_("Ville"), max_length=100, blank=True)
    latitude = models.DecimalField(
        _("Latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("Longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    phone = models.CharField(_("Téléphone"), max_length=20, blank=True)
    email = models.EmailField(_("E-mail de la boutique"), blank=True)
    website = models.URLField(_("Site web"), blank=True)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True, validators=[validate_siret])
    # The shop's own terms of sale (plain text), shown at /boutiques/<code>/conditions-de-vente/;
    # blank: the shop sells under the portal's general terms.
    terms_of_sale = models.TextField(_("Conditions de vente"), blank=True)
    # Oscar's link to the accounts running the shop, through a table that keeps their role.
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="partner.TeamMembership",
        related_name="partners",
        blank=True,
        verbose_name=_("Users"),
    )
    offers_click_collect = models.BooleanField(_("Retrait en boutique"), default=True)
    offers_delivery = models.BooleanField(_("Livraison à domicile"), default=False)
    # Click & collect: how long an order takes to prepare, and how pickups are spread out.
    pickup_lead_minutes = models.PositiveIntegerField(
        _("Délai de préparation (minutes)"),
        default=60,
        validators=[MinValueValidator(0), MaxValueValidator(PICKUP_LEAD_MAX_MINUTES)],
        help_text=_("Temps minimum entre la commande et le premier créneau de retrait."),
    )
    pickup_slot_minutes = models.PositiveSmallIntegerField(
        _("Durée d'un créneau de retrait (minutes)"),
        default=30,
        validators=[
            MinValueValidator(PICKUP_SLOT_MIN_MINUTES),
            MaxValueValidator(PICKUP_SLOT_MAX_MINUTES),
        ],
    )
    pickup_slot_capacity = models.PositiveSmallIntegerField(
        _("Commandes par créneau de retrait"),
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(PICKUP_SLOT_MAX_CAPACITY)],
    )

    # Stripe Connect (Express): the account the shop is paid on, once its merchant connects it
    # from the dashboard (orders.payments); `stripe_account_ready` mirrors Stripe's answer
    # (onboarding done, transfers accepted) as last read, by the return page or a webhook.
    stripe_account_id = models.CharField(_("Compte Stripe"), max_length=64, blank=True)
    stripe_account_ready = models.BooleanField(_("Compte Stripe prêt"), default=False)
    stripe_account_checked_at = models.DateTimeField(
        _("Compte Stripe vérifié le"), null=True, blank=True
    )

    class Meta(AbstractPartner.Meta):
        verbose_name = _("Boutique")
        verbose_name_plural = _("Boutiques")
        # Oscar's partner users hold `dashboard_access`; the town's commerce staff (the
        # COMMERCE_STAFF_GROUP group) hold `moderate_shops`.
        permissions = (
            ("dashboard_access", "Can access dashboard"),
            ("moderate_shops", "Peut modérer les boutiques et les produits"),
        )
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "live", "rejected", "suspended"]),
                name="partner_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(siret="") | Q(siret__regex=r"^[0-9]{14}$"),
                name="partner_siret_14_digits",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="partner_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="partner_longitude_range",
            ),
            models.CheckConstraint(
                condition=Q(pickup_lead_minutes__gte=0)
                & Q(pickup_lead_minutes__lte=PICKUP_LEAD_MAX_MINUTES),
                name="partner_pickup_lead_range",
            ),
            models.CheckConstraint(
                condition=Q(pickup_slot_minutes__gte=PICKUP_SLOT_MIN_MINUTES)
                & Q(pickup_slot_minutes__lte=PICKUP_SLOT_MAX_MINUTES),
                name="partner_pickup_slot_minutes_range",
            ),
            models.UniqueConstraint(
                fields=["stripe_account_id"],
                condition=~Q(stripe_account_id=""),
                name="partner_stripe_account_unique",
            ),
            models.CheckConstraint(
                condition=Q(stripe_account_ready=False) | ~Q(stripe_account_id=""),
                name="partner_stripe_ready_has_account",
            ),
            models.CheckConstraint(
                condition=Q(pickup_slot_capacity__gte=1)
                & Q(pickup_slot_capacity__lte=PICKUP_SLOT_MAX_CAPACITY),
                name="partner_pickup_slot_capacity_range",
            ),
        ]

    @property
    def slug(self) -> str:
        return self.code

    @property
    def is_live(self) -> bool:
        return self.status == self.Status.LIVE

    @property
    def initials(self) -> str:
        """Up to two letters for a logo placeholder: "Fromagerie du Lac" -> "FL"."""
        words = [w for w in self.name.replace("'", " ").replace("’", " ").split() if w[0].isalnum()]
        significant = [w for w in words if w.lower() not in _NAME_LINKS] or words
        return "".join(w[0] for w in significant[:2]).upper()


class ModerationEvent(models.Model):
    """The audit log of the town's decisions on a shop: who, when, what, why."""

    class Action(models.TextChoices):
        APPROVE = "approve", _("Validation")
        REJECT = "reject", _("Refus")
        SUSPEND = "suspend", _("Suspension")
        REINSTATE = "reinstate", _("Rétablissement")

    shop = models.ForeignKey(
        "partner.Partner", on_delete=models.CASCADE, related_name="moderation_events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(_("Décision"), max_length=16, choices=Action.choices)
    reason = models.TextField(_("Motif"), blank=True)
    created_at = models.DateTimeField(_("Date"), auto_now_add=True, db_index=True)
    notified_at = models.DateTimeField(_("Commerçant prévenu le"), null=True, blank=True)

    class Meta:
        app_label = "partner"
        ordering = ("-created_at", "-pk")
        verbose_name = _("Décision de modération")
        verbose_name_plural = _("Décisions de modération")
        constraints = [
            models.CheckConstraint(
                condition=~Q(action__in=["reject", "suspend"]) | ~Q(reason=""),
                name="moderationevent_reason_required",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.shop_id} · {self.created_at:%d/%m/%Y}"


class StockRecordQuerySet(models.QuerySet):
    def public(self):
        """Offers the public may see and buy: on sale, from live shops."""
        return self.filter(partner__status=Partner.Status.LIVE, is_on_sale=True)


class StockRecord(AbstractStockRecord):
    """Oscar's stock record (a shop's offer on a product), with `.public()` offers.

    A merchant withdraws an offer by unticking `is_on_sale` rather than deleting it, so the
    orders that point at it keep their history and the offer can come back in one click.
    """

    class StockSource(models.TextChoices):
        HAND = "hand", _("Saisie à la main")
        IMPORT = "import", _("Import CSV")
        API = "api", _("API")
        FEED = "feed", _("Flux de stock")
        WOOCOMMERCE = "woocommerce", _("WooCommerce")

    is_on_sale = models.BooleanField(_("En vente"), default=True, db_index=True)
    # Where the stock last came from, and when that source last confirmed it (changed or not):
    # the merchant's "last synced", the town's list of shops whose stock has gone stale.
    stock_source = models.CharField(
        _("Source du stock"), max_length=16, choices=StockSource.choices, blank=True
    )
    stock_synced_at = models.DateTimeField(_("Stock synchronisé le"), null=True, blank=True)

    objects = StockRecordQuerySet.as_manager()

    class Meta(AbstractStockRecord.Meta):
        indexes = [
            # A shop's offers, most recently changed first: the API's cursor pages
            # (`updated_since`, `-date_updated, -pk`) read them in order, without a sort.
            models.Index(
                fields=["partner", "-date_updated", "-id"], name="stockrecord_shop_updated"
            ),
        ]  # fmt: skip


class OpeningHours(models.Model):
    """One opening span of a weekday; two rows make a day with a lunch break."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Lundi")
        TUESDAY = 1, _("Mardi")
        WEDNESDAY = 2, _("Mercredi")
        THURSDAY = 3, _("Jeudi")
        FRIDAY = 4, _("Vendredi")
        SATURDAY = 5, _("Samedi")
        SUNDAY = 6, _("Dimanche")

    shop = models.ForeignKey(
        "partner.Partner", on_delete=models.CASCADE, related_name="opening_hours"
    )
    weekday = models.PositiveSmallIntegerField(_("Jour"), choices=Weekday.choices)
    opens = models.TimeField(_("Ouverture"))
    closes = models.TimeField(_("Fermeture"))

    class Meta:
        app_label = "partner"
        ordering = ("weekday", "opens")
        verbose_name = _("Horaire d'ouverture")
        verbose_name_plural = _("Horaires d'ouverture")
        constraints = [
            models.CheckConstraint(
                condition=Q(opens__lt=F("closes")), name="openinghours_opens_before_closes"
            ),
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6), name="openinghours_weekday_range"
            ),
            models.UniqueConstraint(
                fields=["shop", "weekday", "opens"], name="openinghours_unique_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class ClosingPeriod(models.Model):
    """Days a shop is closed although its weekly hours say open (holidays, inventory…)."""

    shop = models.ForeignKey(
        "partner.Partner", on_delete=models.CASCADE, related_name="closing_periods"
    )
    starts_on = models.DateField(_("Du"))
    ends_on = models.DateField(_("Au (inclus)"))
    reason = models.CharField(_("Motif"), max_length=200, blank=True)

    class Meta:
        app_label = "partner"
        ordering = ("starts_on",)
        verbose_name = _("Fermeture exceptionnelle")
        verbose_name_plural = _("Fermetures exceptionnelles")
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_on__lte=F("ends_on")), name="closingperiod_dates_in_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.starts_on:%d/%m/%Y}–{self.ends_on:%d/%m/%Y} {self.reason}".strip()


# The group of the town's commerce staff: they moderate shops and products (not superusers).
COMMERCE_STAFF_GROUP = "Services commerce"


class ProductModerationEvent(models.Model):
    """The audit log of the town's decisions on a product: withdrawn (with why) or restored."""

    class Action(models.TextChoices):
        WITHDRAW = "withdraw", _("Retrait")
        RESTORE = "restore", _("Remise en ligne")

    product = models.ForeignKey(
        "catalogue.Product", on_delete=models.CASCADE, related_name="moderation_events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(_("Décision"), max_length=16, choices=Action.choices)
    reason = models.TextField(_("Motif"), blank=True)
    created_at = models.DateTimeField(_("Date"), auto_now_add=True, db_index=True)
    notified_at = models.DateTimeField(_("Commerçants prévenus le"), null=True, blank=True)

    class Meta:
        app_label = "partner"
        ordering = ("-created_at", "-pk")
        verbose_name = _("Décision sur un produit")
        verbose_name_plural = _("Décisions sur les produits")
        constraints = [
            models.CheckConstraint(
                condition=~Q(action="withdraw") | ~Q(reason=""),
                name="productmoderationevent_reason_required",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.product_id} · {self.created_at:%d/%m/%Y}"


class CsvImport(models.Model):
    """One CSV file a merchant imported into a shop: applied whole, or refused whole.

    `errors` keeps the row-by-row report of a refused file: [{"line": 3, "message": "..."}].
    """

    class Status(models.TextChoices):
        APPLIED = "applied", _("Appliqué")
        REFUSED = "refused", _("Refusé")

    shop = models.ForeignKey(
        "partner.Partner", on_delete=models.CASCADE, related_name="csv_imports"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    filename = models.CharField(_("Fichier"), max_length=255)
    status = models.CharField(_("Résultat"), max_length=16, choices=Status.choices)
    rows_total = models.PositiveIntegerField(_("Lignes"), default=0)
    rows_created = models.PositiveIntegerField(_("Produits créés"), default=0)
    rows_updated = models.PositiveIntegerField(_("Produits mis à jour"), default=0)
    errors = models.JSONField(_("Erreurs"), default=list, blank=True)
    created_at = models.DateTimeField(_("Date"), auto_now_add=True, db_index=True)

    class Meta:
        app_label = "partner"
        ordering = ("-created_at", "-pk")
        verbose_name = _("Import CSV")
        verbose_name_plural = _("Imports CSV")

    def __str__(self) -> str:
        return f"{self.filename} · {self.get_status_display()}"


class PortalSnapshot(models.Model):
    """The portal's public figures as they stood on one day, taken each evening by Celery beat.

    The live tables only say how things are now; these rows keep how the portal grew (from
    1,000 to 4,154 products online) for the town's console, whose charts read them.
    """

    day = models.DateField(_("Jour"), unique=True)
    shops_live = models.PositiveIntegerField(_("Boutiques en ligne"), default=0)
    shops_selling = models.PositiveIntegerField(_("Boutiques qui vendent"), default=0)
    products_online = models.PositiveIntegerField(_("Produits en ligne"), default=0)
    created_at = models.DateTimeField(_("Relevé le"), auto_now=True)

    class Meta:
        app_label = "partner"
        ordering = ("day",)
        verbose_name = _("Relevé du portail")
        verbose_name_plural = _("Relevés du portail")

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} · {self.products_online}"


from oscar.apps.partner.models import *  # noqa: E402,F403 - Oscar's fork pattern

from shops.api_key_models import ApiIdempotentRequest, ShopApiKey  # noqa: E402,F401
from shops.feed_models import (  # noqa: E402,F401
    StockFeed,
    StockFeedRun,
    WooOfferLink,
    WooStockPush,
)
from shops.identity_models import ShopIdentityChange  # noqa: E402,F401
from shops.team_models import TeamInvitation, TeamMembership  # noqa: E402,F401
from shops.webhook_models import WebhookDelivery, WebhookEndpoint  # noqa: E402,F401
