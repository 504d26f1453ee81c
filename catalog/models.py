from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _
from oscar.apps.catalogue.abstract_models import (
    AbstractCategory,
    AbstractProduct,
    AbstractProductImage,
)

from catalog.fields import RichTextField
from catalog.text import rich_text_plain


class Category(AbstractCategory):
    """Oscar's category, its descriptions cleaned by the one sanitiser (printed as HTML)."""

    description = RichTextField(_("Description"), blank=True)
    long_description = RichTextField(_("Long description"), blank=True)


class Product(AbstractProduct):
    """Oscar's product plus the two stored columns the database search reads.

    `search_text` is the title and category names, lower-cased and without accents: the
    SQLite fallback filters on it and PostgreSQL's trigram index (typo tolerance) covers it.
    `search_vector` is the weighted French full-text vector (PostgreSQL only, NULL on SQLite).
    Both are kept up to date by `catalog.services.product_search_refresh`; their indexes
    (GIN on the vector, GIN trigram on the text) are PostgreSQL-only and created in the
    `search_postgres` migration.
    """

    # Merchants write it (dashboard form, CSV import); the product page prints it as HTML.
    description = RichTextField(_("Description"), blank=True)
    search_text = models.TextField(_("Search text"), blank=True, default="", editable=False)
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta(AbstractProduct.Meta):
        # The catalogue, category and search pages list by title (then id): read in this
        # order, a page is 24 index entries instead of a sort of every product (issue 15, §6:
        # 6.0 ms to 0.09 ms for the catalogue's first page at the reference town).
        indexes = [models.Index(fields=["title", "id"], name="product_title_id")]

    def get_meta_description(self):
        # Oscar's strips the tags but keeps the entities (&amp;), escaped again in the page.
        meta_description = self.meta_description
        if not meta_description and self.is_child:
            meta_description = self.parent.meta_description
        return meta_description or rich_text_plain(self.description)


class ProductImage(AbstractProductImage):
    """Oscar's product image, and which of its renditions exist (catalog/renditions.py).

    `renditions_of` is the original they were made from: while it differs from `original`
    (a new photo, or one not rendered yet) the lists show the original. `renditions` lists
    `[slot, width, height]` of each WebP copy made, empty when the original could not be read.
    Both are read with the images a list prefetches already: no query of their own.
    """

    renditions_of = models.CharField(
        _("Copies réduites faites depuis"), max_length=255, blank=True, default="", editable=False
    )
    renditions = models.JSONField(_("Copies réduites"), default=list, blank=True, editable=False)


class SearchRefresh(models.Model):
    """A product whose search columns wait for a refresh (`catalog.services`).

    Written in the same transaction as the change, so no refresh is lost when Redis is down:
    the task that refreshes the product deletes the row, and a periodic catch-up
    (`catalog.tasks.search_refresh_catch_up`) refreshes whatever is left.
    """

    product = models.OneToOneField(
        "catalogue.Product", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    marked_at = models.DateTimeField(_("Marqué le"))

    class Meta:
        app_label = "catalogue"
        verbose_name = _("Recherche à rafraîchir")
        verbose_name_plural = _("Recherches à rafraîchir")

    def __str__(self) -> str:
        return str(self.product_id)


class SearchSynonym(models.Model):
    """Words a resident may use for the same thing, one group per row ("boulangerie, boulanger,
    boulangère, pain"): searching any word of a group finds what any other word would. Kept
    as data the town staff edit (/gestion/recherche/); `catalog.search.words` reads them.

    A group holding a shop trade's code ("boulangerie", "fromagerie", "fleuriste"…) also finds
    the shops of that trade."""

    words = models.CharField(_("Mots équivalents"), max_length=500)

    class Meta:
        app_label = "catalogue"
        ordering = ("pk",)
        verbose_name = _("Synonymes de recherche")
        verbose_name_plural = _("Synonymes de recherche")

    def __str__(self) -> str:
        return self.words


class ContentVersion(models.Model):
    """A counter raised after each committed change to what the public pages show beyond
    products and offers (a shop's name or hours, a photo, a category, a delivery fee, a
    deletion): part of the catalogue's version (`catalog.cache.catalogue_version`), so a page
    kept under it (`catalog.pagecache`) is never shown stale. One row; `catalog.pagecache`
    raises it once per transaction, after commit."""

    value = models.BigIntegerField(_("Version"), default=0)

    class Meta:
        app_label = "catalogue"
        verbose_name = _("Version du contenu public")
        verbose_name_plural = _("Version du contenu public")

    def __str__(self) -> str:
        return str(self.value)


from oscar.apps.catalogue.models import *  # noqa: E402,F403 - Oscar's fork pattern
