"""The town staff's correction of a shop's place on the map (/gestion/moderation/boutiques/
<pk>/position/): merchants never type coordinates (the geocoder places their address), so
when it cannot place it, or places it wrong, staff set them here. Django's admin (superusers)
edits them too."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView

from shops import selectors
from shops.access import CommerceStaffRequiredMixin
from shops.services.location import shop_coordinates_set


def _degrees(label, limit: int, help_text) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=-limit,
        max_value=limit,
        max_digits=9,
        decimal_places=6,
        localize=True,  # a French decimal comma is accepted: 45,6885
        help_text=help_text,
    )


class ShopLocationForm(forms.Form):
    latitude = _degrees(
        gettext_lazy("Latitude"), 90, gettext_lazy("En degrés décimaux, par exemple 45,6885.")
    )
    longitude = _degrees(
        gettext_lazy("Longitude"), 180, gettext_lazy("En degrés décimaux, par exemple 5,9153.")
    )

    def clean(self):
        data = super().clean()
        if not self.errors and (data.get("latitude") is None) != (data.get("longitude") is None):
            raise forms.ValidationError(
                gettext_lazy("Indiquez la latitude et la longitude, ou aucune des deux."),
                code="coordinates",
            )
        return data


class ShopLocationView(CommerceStaffRequiredMixin, FormView):
    template_name = "digitaix/dashboard/moderation/shop_location.html"
    form_class = ShopLocationForm

    def dispatch(self, request, *args, **kwargs):
        self.shop_object = None
        return super().dispatch(request, *args, **kwargs)

    def get_shop(self):
        if self.shop_object is None:
            self.shop_object = selectors.moderation_shop_get(pk=self.kwargs["pk"])
        return self.shop_object

    def get_initial(self):
        shop = self.get_shop()
        return {"latitude": shop.latitude, "longitude": shop.longitude}

    def get_context_data(self, **kwargs):
        return super().get_context_data(shop_object=self.get_shop(), **kwargs)

    def form_valid(self, form):
        shop = shop_coordinates_set(shop=self.get_shop(), by=self.request.user, **form.cleaned_data)
        messages.success(
            self.request, _("La position de « %(shop)s » est enregistrée.") % {"shop": shop.name}
        )
        return redirect("moderation:shop", pk=shop.pk)
