"""The shop's API keys in the merchant's space (/ma-boutique/<shop>/api/): every merchant of
the shop sees them (name, rights, last use); its owners create and revoke them. A new key is
shown once, on the page the creation leads to, then never again (only its hash is kept)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView

from shops import api_key_selectors
from shops.access import MerchantRequiredMixin, ShopOwnerRequiredMixin, is_shop_owner
from shops.api_key_models import ShopApiKey
from shops.services.api_keys import api_key_create, api_key_revoke

# The new key waits in the session for the one page that shows it.
NEW_KEY_SESSION = "digitaix_new_api_key"


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        label=_("Nom de la clé"),
        max_length=50,
        help_text=_("Ce qui l'utilise, par exemple « Caisse » ou « Site WooCommerce »."),
    )
    scope = forms.ChoiceField(
        label=_("Droits"),
        choices=ShopApiKey.Scope.choices,
        initial=ShopApiKey.Scope.READ,
        widget=forms.RadioSelect,
        help_text=_("« Lecture » suffit pour afficher vos produits ailleurs."),
    )


class ShopApiKeysView(MerchantRequiredMixin, FormView):
    template_name = "digitaix/merchant/api_keys.html"
    form_class = ApiKeyForm

    def get_context_data(self, **kwargs):
        new = self.request.session.pop(NEW_KEY_SESSION, None)
        if new and new.get("shop") != self.shop.pk:
            new = None
        return super().get_context_data(
            keys=list(api_key_selectors.shop_api_keys(shop=self.shop)),
            is_owner=is_shop_owner(self.request.user, self.shop),
            new_key=new,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if not is_shop_owner(request.user, self.shop):
            raise PermissionDenied  # members see the keys; only owners make them
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            key, secret = api_key_create(
                shop=self.shop,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                by=self.request.user,
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
            return self.form_invalid(form)
        self.request.session[NEW_KEY_SESSION] = {
            "shop": self.shop.pk, "name": key.name, "key": secret,
        }  # fmt: skip
        return redirect("merchant:api-keys", slug=self.shop.code)


class ShopApiKeyRevokeView(ShopOwnerRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        key = api_key_selectors.shop_api_key_get(shop=self.shop, prefix=kwargs["prefix"])
        api_key_revoke(key=key)
        messages.success(
            request, _("Clé « %(name)s » révoquée : elle ne permet plus rien.") % {"name": key.name}
        )
        return redirect("merchant:api-keys", slug=self.shop.code)
