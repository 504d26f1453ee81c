"""A shop's stock feed: the file its till, spreadsheet or web shop publishes, pulled on a
schedule so that the shop's shelf stays the master (shops/services/feeds.py). Imported by
shops/models.py (Oscar's fork pattern)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class StockFeed(models.Model):
    class Period(models.IntegerChoices):
        QUARTER = 15, _("Toutes les 15 minutes")
        HOUR = 60, _("Toutes les heures")
        DAY = 1440, _("Tous les jours")

    shop = models.OneToOneField(
        "partner.Partner", on_delete=models.CASCADE, related_name="stock_feed"
    )
    url = models.URLField(_("Adresse du fichier"), max_length=500)
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
    unknown_skus = models.JSONField(default=list)  # the first ones
    unknown_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list)  # the first lines' problems

    class Meta:
        app_label = "partner"
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.feed_id} {self.started_at:%Y-%m-%d %H:%M} {self.status}"
