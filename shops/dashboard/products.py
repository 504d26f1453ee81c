"""Oscar's product screens, made safe for a merchant (mapped over "dashboard.catalogue.views").

The catalogue is shared: several shops may offer the same product, each through its own
stock record. Oscar already limits a partner user to the products one of their shops offers
(404 otherwise) and the stock record formset to their shops' records. What it does not:

- its delete page deletes the whole product, hence the other shops' offers and the link of
  past order lines to it. A merchant here only removes their own offers; an offer that has
  been ordered is withdrawn from sale (`is_on_sale=False`) instead of deleted, and the product
  goes only when no shop offers it any more and nothing was ordered
  (shops.services.merchant_product_remove);
- deleting a stock record in the product form follows the same rule;
- `is_public` (product form, bulk actions) belongs to the whole product and to the town's
  moderation: a merchant does not get it;
- a product another shop sells too is shared: its title, description, categories and photos
  are read-only for a merchant, who edits only their own offer (as the CSV import does);
- its product list loads and counts every shop's stock records: a merchant's list shows their
  own, in a constant number of queries.

Superusers keep Oscar's behaviour; town staff never reach these screens (shops/access.py).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from oscar.apps.dashboard.catalogue import formsets as oscar_formsets
from oscar.apps.dashboard.catalogue import views as oscar_views
from oscar.core.loading import get_model

from shops import access, selectors, services

StockRecord = get_model("partner", "StockRecord")

# Bulk actions that change the whole (shared) product rather than the merchant's offers.
PRODUCT_WIDE_ACTIONS = ("make_products_public", "make_products_non_public")
# The product page's formsets that change the product itself, not the merchant's offer.
PRODUCT_WIDE_FORMSETS = ("category_formset", "image_formset", "recommended_formset")
SHARED_PRODUCT_MESSAGE = _(
    "D'autres boutiques vendent aussi ce produit : sa fiche (titre, description, catégories, "
    "photos) est commune et seule votre offre (prix, stock) est modifiable ici. Pour corriger "
    "la fiche, écrivez au service commerce de la mairie."
)


def _is_merchant(user) -> bool:
    """Superusers manage every product, anyone else the gate lets in their shops' offers."""
    return not access.sees_every_shop(user)


class MerchantStockRecordFormSet(oscar_formsets.StockRecordFormSet):
    """Oscar's formset; a merchant's ticked "delete" withdraws an offer that was ordered."""

    def set_initial_data(self):
        """A post without the formset's management data has no form: Oscar's IndexError
        (a 500) becomes the form's own "management form missing" error."""
        if self.forms:
            super().set_initial_data()

    def delete_existing(self, obj, commit=True):
        if commit and _is_merchant(self.user):
            services.offer_remove(offer=obj)
            return
        super().delete_existing(obj, commit=commit)


class ProductListView(oscar_views.ProductListView):
    def get_queryset(self):
        queryset = super().get_queryset()
        if not _is_merchant(self.request.user):
            return queryset
        own = selectors.merchant_offers_of_user(user=self.request.user)
        # Oscar prefetches every shop's stock records: the merchant's own replace them.
        return queryset.prefetch_related(None).prefetch_related(
            "children",
            "product_options",
            "product_class__options",
            "images",
            Prefetch("stockrecords", queryset=own),
        )

    def get_actions(self):
        actions = super().get_actions()
        if _is_merchant(self.request.user):
            actions = {k: v for k, v in actions.items() if k not in PRODUCT_WIDE_ACTIONS}
        return actions


class ProductBulkActionConfirmView(oscar_views.ProductBulkActionConfirmView):
    def dispatch(self, request, *args, **kwargs):
        action = request.POST.get("action") or request.GET.get("action")
        if _is_merchant(request.user) and action in PRODUCT_WIDE_ACTIONS:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ProductCreateUpdateView(oscar_views.ProductCreateUpdateView):
    stockrecord_formset = MerchantStockRecordFormSet

    def is_shared(self) -> bool:
        """A merchant on a product another shop sells too: only their offer is theirs."""
        if not hasattr(self, "_shared"):
            self._shared = (
                _is_merchant(self.request.user)
                and not self.creating
                and selectors.product_offered_by_others(product=self.object, user=self.request.user)
            )
        return self._shared

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if _is_merchant(self.request.user):
            form.fields.pop("is_public", None)
        if self.is_shared():
            for field in form.fields.values():
                field.disabled = True  # the posted values are ignored
        return form

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if self.is_shared():
            messages.info(request, SHARED_PRODUCT_MESSAGE)
        return response

    def clean(self, form, formsets):
        """Refuse, changing nothing, a merchant's change to a shared product's categories,
        photos or recommendations (its own fields are disabled)."""
        if self.is_shared() and any(formsets[n].has_changed() for n in PRODUCT_WIDE_FORMSETS):
            form.add_error(None, SHARED_PRODUCT_MESSAGE)
            return False
        return super().clean(form, formsets)


class ProductDeleteView(oscar_views.ProductDeleteView):
    """For a merchant: remove their own offers only (see the module docstring)."""

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if _is_merchant(self.request.user):
            ctx["merchant_view"] = True
            ctx["title"] = _("Retirer votre offre ?")
        return ctx

    def delete(self, request, *args, **kwargs):
        if not _is_merchant(request.user):
            return super().delete(request, *args, **kwargs)
        self.object = self.get_object()
        outcome = services.merchant_product_remove(
            product=self.object, shops=selectors.shops_of_user(request.user)
        )
        messages.success(request, OUTCOME_MESSAGES[outcome] % {"title": self.object.get_title()})
        return HttpResponseRedirect(reverse("dashboard:catalogue-product-list"))


class ProductLookupView(oscar_views.ProductLookupView):
    """The product search of the product form (recommendations): for a merchant, their own
    and live shops' public products only. A malformed page number reads as the first page,
    and a page holds at most LOOKUP_PAGE_LIMIT products."""

    def get_queryset(self):
        if not _is_merchant(self.request.user):
            return super().get_queryset()
        return selectors.merchant_product_lookup(user=self.request.user)

    def get_args(self):
        params = self.request.GET
        page, limit = params.get("page", ""), params.get("page_limit", "")
        page = int(page) if page.isdigit() and int(page) > 0 else 1
        limit = min(int(limit), LOOKUP_PAGE_LIMIT) if limit.isdigit() and int(limit) else 20
        return params.get("initial"), params.get("q"), page, limit

    def initial_filter(self, qs, value):
        return qs.filter(pk__in=[pk for pk in value.split(",") if pk.isdigit()])


LOOKUP_PAGE_LIMIT = 50
OUTCOME_MESSAGES = {
    "deleted": _("Le produit « %(title)s » a été supprimé."),
    "removed": _("Votre offre sur « %(title)s » a été supprimée."),
    "withdrawn": _(
        "Votre offre sur « %(title)s » a été retirée de la vente : elle a déjà été "
        "commandée, elle reste donc dans l'historique des commandes."
    ),
}
