"""The merchant's shop screens: a new shop and a shop's profile (its hours: hours.py).

Every screen naming a shop goes through MerchantRequiredMixin, which finds it among the
user's own shops only (404 otherwise), for GET and POST alike.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, UpdateView

from shops import identity_selectors
from shops.access import MerchantRequiredMixin
from shops.dashboard.profile_forms import ShopCreateForm, ShopProfileForm
from shops.onboarding import shop_create
from shops.services import shop_profile_update
from shops.services.location import shop_is_located

# Saved all the same: the town's staff can place the shop by hand (moderation:shop-location).
NOT_LOCATED = gettext_lazy(
    "Votre adresse n'a pas été trouvée sur la carte : la boutique est enregistrée, mais "
    "n'apparaît pas sur la carte. Vérifiez l'adresse et le code postal ; sinon, la mairie "
    "placera la boutique."
)


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
        ctx["located"] = shop_is_located(self.shop)
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
        self.shop.refresh_from_db()
        if not shop_is_located(self.shop):
            messages.warning(self.request, NOT_LOCATED)
        return redirect("merchant:profile", slug=self.shop.code)

    def form_invalid(self, form):
        # The form changed the instance in memory while validating: show the saved shop.
        self.shop.refresh_from_db()
        return super().form_invalid(form)
