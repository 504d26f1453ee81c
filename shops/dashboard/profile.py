"""The merchant's shop screens: their shops, a new shop, a shop's profile and its hours.

Every screen naming a shop goes through MerchantRequiredMixin, which finds it among the
user's own shops only (404 otherwise), for GET and POST alike.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView, UpdateView

from shops import identity_selectors
from shops.access import MerchantRequiredMixin
from shops.dashboard.profile_forms import (
    ClosingPeriodFormSet,
    OpeningHoursFormSet,
    ShopCreateForm,
    ShopProfileForm,
    closures_initial,
    hours_initial,
)
from shops.onboarding import shop_create, shop_schedule_replace
from shops.services import shop_profile_update


class ShopCreateView(MerchantRequiredMixin, FormView):
    template_name = "digitaix/dashboard/shops/shop_create.html"
    form_class = ShopCreateForm

    def form_valid(self, form):
        shop = shop_create(user=self.request.user, fields=form.cleaned_data)
        messages.success(
            self.request,
            _("La boutique « %(shop)s » est enregistrée et attend la validation de la mairie.")
            % {"shop": shop.name},
        )
        return redirect("merchant:profile", slug=shop.code)


class ShopProfileView(MerchantRequiredMixin, UpdateView):
    template_name = "digitaix/dashboard/shops/shop_profile.html"
    form_class = ShopProfileForm
    context_object_name = "shop_object"

    def get_object(self, queryset=None):
        return self.shop

    def get_initial(self):
        # A change waiting for the town: the form shows (and posts back) what was asked.
        self.pending = identity_selectors.shop_identity_change_pending(shop=self.shop)
        return dict(self.pending.after) if self.pending else {}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["identity_change"] = identity_selectors.shop_identity_change_pending(shop=self.shop)
        ctx["identity_refused"] = identity_selectors.shop_identity_change_last_refused(
            shop=self.shop
        )
        return ctx

    def form_valid(self, form):
        try:
            change = shop_profile_update(
                shop=form.save(commit=False), fields=list(form._meta.fields), by=self.request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        if change is not None:
            messages.info(
                self.request,
                _(
                    "Le profil est enregistré. Le nouveau nom, SIRET ou adresse attend la "
                    "validation de la mairie : les habitants voient les anciens d'ici là."
                ),
            )
        else:
            messages.success(self.request, _("Le profil de la boutique est enregistré."))
        return redirect("merchant:profile", slug=self.shop.code)

    def form_invalid(self, form):
        # The form changed the instance in memory while validating: show the saved shop.
        self.shop.refresh_from_db()
        return super().form_invalid(form)


class ShopHoursView(MerchantRequiredMixin, TemplateView):
    template_name = "digitaix/dashboard/shops/shop_hours.html"

    def get(self, request, *args, **kwargs):
        hours = OpeningHoursFormSet(prefix="hours", initial=hours_initial(self.shop))
        closures = ClosingPeriodFormSet(prefix="closures", initial=closures_initial(self.shop))
        return self.render_to_response(self.get_context_data(hours=hours, closures=closures))

    def post(self, request, *args, **kwargs):
        hours = OpeningHoursFormSet(request.POST, prefix="hours")
        closures = ClosingPeriodFormSet(request.POST, prefix="closures")
        if hours.is_valid() and closures.is_valid():
            try:
                shop_schedule_replace(shop=self.shop, hours=hours.rows(), closures=closures.rows())
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("Les horaires de la boutique sont enregistrés."))
                return redirect("merchant:hours", slug=self.shop.code)
        return self.render_to_response(self.get_context_data(hours=hours, closures=closures))
