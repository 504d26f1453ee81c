"""A shop's stock feed: the file its till, spreadsheet or web shop publishes, pulled on a
schedule so that the shop's shelf stays the master (shops/services/feeds.py). Imported by
shops/models.py (Oscar's fork pattern)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class StockFeed(models.Model):
    """Where a shop's stock comes from: a file it publishes, or its WooCommerce site (one
    source per shop: the shelf has one master)."""

    class Kind(models.TextChoices):
        FILE = "file", _("Fichier (CSV ou JSON)")
        WOOCOMMERCE = "woocommerce", _("WooCommerce")

    class Period(models.IntegerChoices):
        QUARTER = 15, _("Toutes les 15 minutes")
        HOUR = 60, _("Toutes les heures")
        DAY = 1440, _("Tous les jours")

    shop = models.OneToOneField(
        "partner.Partner", on_delete=models.CASCADE, related_name="stock_feed"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.FILE)
    # The file's address, or the WooCommerce site's (https://boutique.example).
    url = models.URLField(_("Adresse du fichier"), max_length=500)
    # WooCommerce's REST key pair (read/write: pulls products, pushes stock changes).
    woo_key = models.CharField(max_length=128, blank=True)
    woo_secret = models.CharField(max_length=128, blank=True)
    period = models.PositiveIntegerField(
        _("Fréquence"), choices=Period.choices, default=Period.HOUR
    )
    is_active = models.BooleanField(_("Actif"), default=True)
    # Conditional GET: what the server said last time (unchanged file = no work).
    etag = models.CharField(max_length=255, blank=True)
    last_modified = models.CharField(max_length=64, blank=True)
    next_run_at = models.DateTimeField(default=timezone.now, db_index=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    last_success_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "partner"
        verbose_name = _("Flux de stock")

    def __str__(self) -> str:
        return self.url


class StockFeedRun(models.Model):
    """One pull of a feed: when, how long, and what it did (the shop's report)."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("Appliqué")
        UNCHANGED = "unchanged", _("Fichier inchangé")
        FAILED = "failed", _("Échec")

    feed = models.ForeignKey(StockFeed, on_delete=models.CASCADE, related_name="runs")
    started_at = models.DateTimeField(default=timezone.now)
    duration_ms = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=16, choices=Status.choices)
    rows_updated = models.PositiveIntegerField(default=0)
    rows_unchanged = models.PositiveIntegerField(default=0)
    rows_created = models.PositiveIntegerField(default=0)  # WooCommerce: new offers
    unknown_skus = models.JSONField(default=list)  # the first ones
    unknown_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list)  # the first lines' problems

    class Meta:
        app_label = "partner"
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.feed_id} {self.started_at:%Y-%m-%d %H:%M} {self.status}"


class WooOfferLink(models.Model):
    """Which WooCommerce product (or variation) an offer is, for pushing stock changes."""

    offer = models.OneToOneField(
        "partner.StockRecord", on_delete=models.CASCADE, related_name="woo_link"
    )
    feed = models.ForeignKey(StockFeed, on_delete=models.CASCADE, related_name="woo_links")
    product_id = models.PositiveBigIntegerField()
    variation_id = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        app_label = "partner"

    def __str__(self) -> str:
        return f"{self.offer_id} -> {self.product_id}/{self.variation_id or ''}"


class WooStockPush(models.Model):
    """One stock change to tell the shop's WooCommerce site (a Digitaix order took units, or
    gave them back): written with its cause, sent by Celery, retried with back-off."""

    class Status(models.TextChoices):
        PENDING = "pending", _("À envoyer")
        SENT = "sent", _("Envoyé")
        FAILED = "failed", _("Abandonné")

    feed = models.ForeignKey(StockFeed, on_delete=models.CASCADE, related_name="woo_pushes")
    offer = models.ForeignKey(
        "partner.StockRecord", on_delete=models.CASCADE, related_name="woo_pushes"
    )
    delta = models.IntegerField()  # -3: an order took 3 units; +3: they came back
    reason = models.CharField(max_length=200)
    key = models.CharField(max_length=200, unique=True)  # one push per cause, even if retried
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    give_up_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        app_label = "partner"
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.offer_id} {self.delta:+d} {self.status}"
