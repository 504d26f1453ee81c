"""A product online in one screen: "Ajouter un produit" (the shared catalogue first, by name or
barcode, else a new product), the same form to edit one, and the categories' type-ahead.

Every screen is one of the merchant's own shops (MerchantRequiredMixin: another shop's
slug or offer id answers 404); reads go through shops.product_selectors and writes through
shops.services, which refuse in French what makes no sense (nothing changes then).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from catalog.selectors import categories_labelled, categories_matching, category_suggest
from shops import product_selectors
from shops.access import MerchantRequiredMixin
from shops.dashboard.product_forms import (
    CatalogueSearchForm,
    OfferAddForm,
    ProductForm,
    ean_of,
    ean_valid,
)
from shops.services import shop_offer_add, shop_product_create, shop_product_update


def _form_errors_from(form, error: ValidationError) -> None:
    """A service's refusal shown on the form: on its field when it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _saved_message(request, offer, created: bool) -> None:
    title = offer.product.get_title()
    if not created:
        text = _("« %(title)s » est enregistré.")
    elif offer.partner.status != offer.partner.Status.LIVE:
        text = _("« %(title)s » est ajouté : il sera visible une fois la boutique validée.")
    elif offer.is_on_sale:
        text = _("« %(title)s » est en vente.")
    else:
        text = _("« %(title)s » est ajouté, pas encore en vente.")
    messages.success(request, text % {"title": title})


class ProductAddView(MerchantRequiredMixin, TemplateView):
    """GET: the search (name or EAN) and its matches, each with "Je vends aussi ce produit",
    and the new product's form. POST `vendre`: the shop's offer on a match; POST `creer`:
    a new product. Both lead back to the products list."""

    template_name = "digitaix/merchant/products/add.html"

    def get_context_data(self, search=None, offer_forms=None, form=None, **kwargs):
        search = search or CatalogueSearchForm(self.request.GET or None)
        query = search.query()
        ean = ean_of(query)
        matches = (
            product_selectors.merchant_catalogue_matches(shop=self.shop, query=query, ean=ean)
            if query
            else []
        )
        offer_forms = offer_forms or {}
        rows = [
            (p, offer_forms.get(p.pk) or OfferAddForm(prefix=f"p{p.pk}", auto_id="id_%s"))
            for p in matches
        ]
        if form is None:
            initial = {"is_on_sale": True}
            if query and not matches:
                initial.update({"upc": ean} if ean_valid(ean) else {"title": query[:255]})
            form = ProductForm(initial=initial)
        return super().get_context_data(
            search=search,
            query=query,
            ean=ean,
            ean_invalid=bool(ean) and not ean_valid(ean),
            matches=rows,
            form=form,
            suggestion=category_suggest(title=form["title"].value() or ""),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if "vendre" in request.POST:
            return self._offer(request)
        return self._create(request)

    def _offer(self, request):
        search = CatalogueSearchForm(request.POST)
        pk = request.POST.get("produit", "")
        product = None
        if pk.isdigit() and int(pk) < 2**31:
            product = product_selectors.catalogue_product_offerable(shop=self.shop, pk=int(pk))
        if product is None:
            messages.error(
                request, _("Ce produit ne peut pas être ajouté : cherchez-le à nouveau.")
            )
            return self.render_to_response(self.get_context_data(search=search))
        form = OfferAddForm(request.POST, prefix=f"p{product.pk}", auto_id="id_%s")
        if form.is_valid():
            try:
                offer = shop_offer_add(
                    shop=self.shop, by=request.user, product=product, change=form.offer_change()
                )
            except ValidationError as error:
                _form_errors_from(form, error)
            else:
                _saved_message(request, offer, created=True)
                return redirect("merchant:products", slug=self.shop.code)
        context = self.get_context_data(search=search, offer_forms={product.pk: form})
        context["matches"] = [(product, form)]  # the product posted, with its errors
        return self.render_to_response(context)

    def _create(self, request):
        form = ProductForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                offer = shop_product_create(
                    shop=self.shop,
                    by=request.user,
                    details=form.details(),
                    offer=form.offer_change(),
                )
            except ValidationError as error:
                _form_errors_from(form, error)
            else:
                _saved_message(request, offer, created=True)
                return redirect("merchant:products", slug=self.shop.code)
        return self.render_to_response(
            self.get_context_data(search=CatalogueSearchForm(), form=form, creating=True)
        )


class ProductEditView(MerchantRequiredMixin, TemplateView):
    """The same form for one of the shop's offers (its id in the URL). A product another
    shop sells too keeps its record: only the price, stock and on sale change."""

    template_name = "digitaix/merchant/products/edit.html"

    def _load(self):
        self.offer = product_selectors.merchant_product_offer_get(
            shop=self.shop, pk=self.kwargs["pk"]
        )
        self.shared = product_selectors.product_shared_with_others(
            shop=self.shop, product=self.offer.product
        )

    def get_context_data(self, form=None, **kwargs):
        return super().get_context_data(
            offer=self.offer,
            product=self.offer.product,
            photo=next(iter(self.offer.product.images.all()), None),
            shared=self.shared,
            form=form or self._form(),
            suggestion=None,
            **kwargs,
        )

    def _form(self, data=None, files=None) -> ProductForm:
        return ProductForm(
            data, files, initial=ProductForm.initial_of(self.offer), shared=self.shared
        )

    def get(self, request, *args, **kwargs):
        self._load()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self._load()
        form = self._form(request.POST, request.FILES)
        if form.is_valid():
            try:
                offer = shop_product_update(
                    shop=self.shop,
                    by=request.user,
                    offer=self.offer,
                    details=form.details(),
                    change=form.offer_change(),
                )
            except ValidationError as error:
                _form_errors_from(form, error)
            else:
                _saved_message(request, offer, created=False)
                return redirect("merchant:products", slug=self.shop.code)
        return self.render_to_response(self.get_context_data(form=form))


class CategoriesView(MerchantRequiredMixin, View):
    """The categories' type-ahead (`?q=`) and the suggestion for a title (`?titre=`), as JSON:
    {"results": [{"id", "label"}], "suggestion": {"id", "label"} or null}."""

    http_method_names = ["get", "head"]

    def get(self, request, *args, **kwargs):
        query = request.GET.get("q", "")[:100]
        title = request.GET.get("titre", "")[:255]
        choices = categories_matching(query=query) if query else categories_labelled()[:20]
        suggestion = category_suggest(title=title) if title else None
        return JsonResponse(
            {
                "results": [{"id": c.pk, "label": c.label} for c in choices],
                "suggestion": suggestion and {"id": suggestion.pk, "label": suggestion.label},
            }
        )
