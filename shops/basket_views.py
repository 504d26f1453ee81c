"""Add a product to the basket from the shop the resident chose (POST only)."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from shops import selectors
from shops.services import basket_offer_add


class OfferQuantityForm(forms.Form):
    quantity = forms.IntegerField(
        label=_("Quantité"),
        min_value=1,
        max_value=settings.OSCAR_MAX_BASKET_QUANTITY_THRESHOLD,
        error_messages={
            "required": _("Indiquez une quantité."),
            "invalid": _("La quantité doit être un nombre entier."),
            "min_value": _("La quantité doit être d'au moins 1."),
            "max_value": _("La quantité est trop grande."),
        },
    )


@require_POST
def offer_add_to_basket(request, pk: int):
    offer = get_object_or_404(selectors.offers_public(), pk=pk)
    form = OfferQuantityForm(request.POST)
    if not form.is_valid():
        for error in form.errors["quantity"]:
            messages.error(request, error)
        return redirect(offer.product.get_absolute_url())
    try:
        basket_offer_add(
            basket=request.basket, stockrecord=offer, quantity=form.cleaned_data["quantity"]
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(offer.product.get_absolute_url())
    messages.success(
        request,
        _("« %(product)s » ajouté à votre panier, chez %(shop)s.")
        % {"product": offer.product.get_title(), "shop": offer.partner.name},
    )
    return redirect(offer.product.get_absolute_url())
