"""The merchant's products: one list that is the stock and price editor (search, filters,
inline edits saved in one go, bulk on sale / off sale), withdraw/restore an offer, and the
CSV import (with its reports) and export. Every screen is limited to one of the merchant's
own shops (MerchantRequiredMixin) and reads through shops.selectors / product_selectors."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponsePermanentRedirect, StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView, View

from shops import product_selectors, selectors, services
from shops.access import MerchantRequiredMixin
from shops.catalogue_io import (
    COLUMNS,
    MAX_ROWS,
    REQUIRED,
    catalogue_csv_export,
    catalogue_csv_import,
)
from shops.dashboard.stock_forms import (
    FILTER_CHOICES,
    CsvUploadForm,
    OfferStockForm,
    OnSaleForm,
)

PAGE_SIZE = 50


class ProductsView(MerchantRequiredMixin, TemplateView):
    """All the shop's products in one table, edited inline and saved in one go (all or
    nothing), with search (title, SKU, EAN), filters and bulk on sale / off sale.

    A save covers the rows shown (their ids are posted with them); a constant number of
    queries whatever the number of rows.
    """

    template_name = "digitaix/merchant/products/list.html"

    def _page(self):
        query = self.request.GET.get("q", "").strip()[:100]
        state = self.request.GET.get("filtre", "tous")
        state = state if state in dict(FILTER_CHOICES) else "tous"
        offers = product_selectors.merchant_products(shop=self.shop, query=query, state=state)
        page = Paginator(offers, PAGE_SIZE).get_page(self.request.GET.get("page"))
        return query, state, page

    def get_context_data(self, **kwargs):
        query, state, page = self._page()
        if "forms" not in kwargs:
            kwargs["forms"] = [OfferStockForm(offer=offer) for offer in page.object_list]
        counts = product_selectors.merchant_products_counts(shop=self.shop)
        return super().get_context_data(
            query=query,
            state=state,
            filters=[(key, label, counts[key]) for key, label in FILTER_CHOICES],
            page_obj=page,
            paginator=page.paginator,
            upload_form=CsvUploadForm(),
            max_rows=MAX_ROWS,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        ids = _ids(request.POST.getlist("offre"))
        offers = []
        if ids and len(ids) <= PAGE_SIZE:
            offers = list(product_selectors.merchant_products(shop=self.shop).filter(pk__in=ids))
        if not ids or len(offers) != len(ids):
            return self._refused(_("Ces lignes ne sont pas des offres de votre boutique."))
        forms = [OfferStockForm(request.POST, offer=offer) for offer in offers]
        if all([form.is_valid() for form in forms]):  # a list: every row gets checked
            changes = {form.offer.pk: form.change() for form in forms}
            try:
                changed = services.offers_stock_update(shop=self.shop, changes=changes)
            except PermissionDenied as error:
                return self._refused(str(error))
            except ValidationError as error:
                by_pk = {str(form.offer.pk): form for form in forms}
                for pk, errors in error.message_dict.items():
                    by_pk[pk].add_error("num_in_stock", errors)
            else:
                messages.success(
                    request,
                    _("Modifications enregistrées : %(n)s offre(s) mise(s) à jour.")
                    % {"n": changed},
                )
                return redirect(request.get_full_path())
        messages.error(request, _("Rien n'a été enregistré : corrigez les lignes signalées."))
        return self.render_to_response(self.get_context_data(forms=forms))

    def _refused(self, reason: str):
        messages.error(request=self.request, message=_("Rien n'a été enregistré. ") + reason)
        return redirect(self.request.get_full_path())


def _ids(values: list[str]) -> list[int] | None:
    """The posted offer ids, once each; None when one is not a number."""
    try:
        return list(dict.fromkeys(int(v) for v in values))
    except (TypeError, ValueError):
        return None


def _back(request, shop) -> str:
    """Where an action goes back to: the products list the merchant came from (same host,
    under this shop's list), else the list."""
    products_url = reverse("merchant:products", kwargs={"slug": shop.code})
    back = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return back if safe and back.startswith(products_url) else products_url


class ProductsOnSaleView(MerchantRequiredMixin, View):
    """Bulk: put the ticked offers on sale, or take them off sale (other shops' ids are
    ignored)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        ids = _ids(request.POST.getlist("selection")) or []
        form = OnSaleForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Action inconnue : rien n'a changé."))
        elif not ids:
            messages.error(request, _("Cochez d'abord les produits concernés."))
        else:
            on_sale = bool(form.cleaned_data["on_sale"])
            changed = services.offers_on_sale_bulk_set(shop=self.shop, ids=ids, on_sale=on_sale)
            message = (
                _("%(n)s produit(s) mis en vente.")
                if on_sale
                else _("%(n)s produit(s) retiré(s) de la vente.")
            )
            messages.success(request, message % {"n": changed})
        return redirect(_back(request, self.shop))


class OfferOnSaleView(MerchantRequiredMixin, View):
    """Withdraw one offer from sale (it leaves every public page), or put it back."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        offer = selectors.merchant_offer_get(shop=self.shop, pk=kwargs["pk"])
        form = OnSaleForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Action inconnue : l'offre n'a pas changé."))
        else:
            offer = services.offer_on_sale_set(
                offer=offer, on_sale=bool(form.cleaned_data["on_sale"])
            )
            title = offer.product.get_title()
            if offer.is_on_sale:
                message = _("« %(title)s » est de nouveau en vente.")
            else:
                message = _(
                    "« %(title)s » est retiré de la vente : il n'apparaît plus sur le site."
                )
            messages.success(request, message % {"title": title})
        return redirect(_back(request, self.shop))


class CsvImportView(MerchantRequiredMixin, FormView):
    """Upload a CSV file of offers; the shop's last imports are listed with their reports."""

    template_name = "digitaix/merchant/products/import.html"
    form_class = CsvUploadForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            imports=selectors.merchant_csv_imports(shop=self.shop)[:20],
            columns=COLUMNS,
            required=REQUIRED,
            max_rows=MAX_ROWS,
            **kwargs,
        )

    def form_valid(self, form):
        record = catalogue_csv_import(
            shop=self.shop, user=self.request.user, upload=form.cleaned_data["file"]
        )
        if record.status == record.Status.APPLIED:
            messages.success(
                self.request,
                _("Import appliqué : %(created)s produit(s) créé(s), %(updated)s mis à jour.")
                % {"created": record.rows_created, "updated": record.rows_updated},
            )
        else:
            messages.error(
                self.request,
                _("Import refusé : rien n'a été modifié. Voyez le rapport ci-dessous."),
            )
        return redirect("merchant:csv-import-detail", slug=self.shop.code, pk=record.pk)


class CsvImportDetailView(MerchantRequiredMixin, TemplateView):
    """The report of one of the shop's imports (another shop's: 404)."""

    template_name = "digitaix/merchant/products/import_detail.html"

    def get_context_data(self, **kwargs):
        record = selectors.merchant_csv_import_get(shop=self.shop, pk=kwargs["pk"])
        return super().get_context_data(record=record, **kwargs)


class CsvExportView(MerchantRequiredMixin, View):
    """The shop's offers as a CSV file (Excel-friendly), streamed: importing it changes nothing."""

    http_method_names = ["get", "head"]

    def get(self, request, *args, **kwargs):
        response = StreamingHttpResponse(
            catalogue_csv_export(shop=self.shop), content_type="text/csv; charset=utf-8"
        )
        filename = f"{self.shop.code}-offres-{timezone.localdate():%Y-%m-%d}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class MovedView(MerchantRequiredMixin, View):
    """The stock editor and the CSV pages moved under /produits/: a permanent redirect that
    keeps the rest of the path and the query string (the merchant's own shops only)."""

    url_name = ""

    def get(self, request, *args, **kwargs):
        query = request.META.get("QUERY_STRING", "")
        target = reverse(self.url_name, kwargs={"slug": self.shop.code}) + kwargs.get("rest", "")
        return HttpResponsePermanentRedirect(target + (f"?{query}" if query else ""))
