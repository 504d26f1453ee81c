"""The shop's API keys and webhooks in the merchant's space (/ma-boutique/<shop>/api/): every
merchant of the shop sees them (a key's name, rights and last use; an endpoint's events and
its recent deliveries with their answers); its owners create, revoke, delete and resend. A
new key or webhook secret is shown once, on the page the creation leads to."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView

from messaging.handover import handover
from shops import api_key_selectors, webhook_selectors
from shops.access import MerchantRequiredMixin, ShopOwnerRequiredMixin, is_shop_owner
from shops.api_key_models import ShopApiKey
from shops.feed_models import StockFeed
from shops.services.api_keys import api_key_create, api_key_revoke
from shops.services.feeds import stock_feed_set
from shops.services.webhooks import (
    webhook_delivery_resend,
    webhook_endpoint_create,
    webhook_endpoint_delete,
)
from shops.services.woocommerce import woo_connect, woo_disconnect
from shops.tasks import stock_feed_pull_task
from shops.webhook_models import WebhookEndpoint

# The new key (or webhook secret) waits in the session for the one page that shows it.
NEW_KEY_SESSION = "digitaix_new_api_key"
NEW_WEBHOOK_SESSION = "digitaix_new_webhook"


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
        new_webhook = self.request.session.pop(NEW_WEBHOOK_SESSION, None)
        if new_webhook and new_webhook.get("shop") != self.shop.pk:
            new_webhook = None
        kwargs.setdefault("webhook_form", WebhookForm())
        kwargs.setdefault("feed_form", FeedForm(initial=_feed_initial(self.shop), auto_id=FEED_IDS))
        kwargs.setdefault("woo_form", WooForm(prefix="woo", initial=_woo_initial(self.shop)))
        return super().get_context_data(
            keys=list(api_key_selectors.shop_api_keys(shop=self.shop)),
            is_owner=is_shop_owner(self.request.user, self.shop),
            new_key=new,
            new_webhook=new_webhook,
            endpoints=list(webhook_selectors.shop_webhook_endpoints(shop=self.shop)),
            deliveries=webhook_selectors.shop_webhook_deliveries_recent(shop=self.shop),
            feed=webhook_selectors.shop_stock_feed(shop=self.shop),
            feed_runs=webhook_selectors.shop_stock_feed_runs(shop=self.shop),
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


class WebhookForm(forms.Form):
    url = forms.URLField(
        label=_("Adresse du webhook"),
        max_length=500,
        assume_scheme="https",
        help_text=_("L'adresse https:// de votre outil qui recevra les événements."),
    )
    events = forms.MultipleChoiceField(
        label=_("Événements"),
        choices=WebhookEndpoint.Event.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[WebhookEndpoint.Event.SHOP_ORDER_CREATED],
    )


class WebhookCreateView(ShopOwnerRequiredMixin, ShopApiKeysView):
    """The webhook form of the page (owners): a new endpoint, its secret shown once."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = WebhookForm(request.POST)
        if form.is_valid():
            try:
                endpoint = webhook_endpoint_create(
                    shop=self.shop,
                    url=form.cleaned_data["url"],
                    events=form.cleaned_data["events"],
                    by=request.user,
                )
            except ValidationError as error:
                for field, errors in getattr(error, "error_dict", {None: error.messages}).items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                request.session[NEW_WEBHOOK_SESSION] = {
                    "shop": self.shop.pk, "url": endpoint.url, "secret": endpoint.secret,
                }  # fmt: skip
                return redirect("merchant:api-keys", slug=self.shop.code)
        context = self.get_context_data(webhook_form=form, form=ApiKeyForm())
        return self.render_to_response(context, status=400)


class WebhookDeleteView(ShopOwnerRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        endpoint = webhook_selectors.shop_webhook_endpoint_get(shop=self.shop, pk=kwargs["pk"])
        webhook_endpoint_delete(endpoint=endpoint)
        messages.success(request, _("Webhook supprimé : plus rien n'y est envoyé."))
        return redirect("merchant:api-keys", slug=self.shop.code)


class WebhookResendView(ShopOwnerRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        delivery = webhook_selectors.shop_webhook_delivery_get(shop=self.shop, pk=kwargs["pk"])
        webhook_delivery_resend(delivery=delivery)
        messages.success(request, _("Événement renvoyé : il part dans un instant."))
        return redirect("merchant:api-keys", slug=self.shop.code)


def _feed_initial(shop) -> dict:
    feed = webhook_selectors.shop_stock_feed(shop=shop)
    return {"url": feed.url, "period": feed.period} if feed and feed.kind == feed.Kind.FILE else {}


def _woo_initial(shop) -> dict:
    feed = webhook_selectors.shop_stock_feed(shop=shop)
    if feed is None or feed.kind != feed.Kind.WOOCOMMERCE:
        return {}
    return {"url": feed.url, "key": feed.woo_key, "period": feed.period}


#: The feed form's ids ("feed-url"): the webhook form on the same page has a `url` too.
FEED_IDS = "feed-%s"


def _period_field() -> forms.TypedChoiceField:
    """How often a stock source (a file, a WooCommerce site) is read."""
    return forms.TypedChoiceField(
        label=_("Fréquence de lecture"),
        choices=StockFeed.Period.choices,
        coerce=int,
        initial=StockFeed.Period.HOUR,
    )


class FeedForm(forms.Form):
    url = forms.URLField(
        label=_("Adresse de votre fichier de stock"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("Le fichier que publie votre caisse ou votre tableur (vide : aucun)."),
    )
    period = _period_field()


class FeedSetView(ShopOwnerRequiredMixin, ShopApiKeysView):
    """The stock feed form of the page (owners): the address is checked at once."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = FeedForm(request.POST, auto_id=FEED_IDS)
        if form.is_valid():
            try:
                feed = stock_feed_set(
                    shop=self.shop, url=form.cleaned_data["url"], period=form.cleaned_data["period"]
                )
            except ValidationError as error:
                form.add_error("url", " ".join(sum(error.message_dict.values(), [])))
            else:
                if feed is None:
                    messages.success(request, _("Fichier de stock retiré : plus rien n'est lu."))
                else:
                    messages.success(
                        request,
                        _("Fichier de stock enregistré : première lecture dans un instant."),
                    )
                    handover(stock_feed_pull_task, kwargs={"feed_id": feed.pk})
                return redirect("merchant:api-keys", slug=self.shop.code)
        context = self.get_context_data(feed_form=form, form=ApiKeyForm())
        return self.render_to_response(context, status=400)


class FeedPullView(ShopOwnerRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        feed = webhook_selectors.shop_stock_feed(shop=self.shop)
        if feed is None:
            raise Http404
        handover(stock_feed_pull_task, kwargs={"feed_id": feed.pk})
        if feed.kind == StockFeed.Kind.WOOCOMMERCE:
            started = _("Lecture du site WooCommerce lancée : son rapport s'affiche ci-dessous.")
        else:
            started = _("Lecture du fichier lancée : son rapport s'affiche ci-dessous.")
        messages.success(request, started)
        return redirect("merchant:api-keys", slug=self.shop.code)


class WooForm(forms.Form):
    url = forms.URLField(
        label=_("Adresse de votre site WooCommerce"),
        max_length=500,
        assume_scheme="https",
        help_text=_("Par exemple https://ma-boutique.fr"),
    )
    key = forms.CharField(label=_("Clé client (ck_…)"), max_length=128)
    secret = forms.CharField(
        label=_("Secret client (cs_…)"),
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text=_("Gardé par Digitaix pour lire votre site ; jamais réaffiché."),
    )
    period = _period_field()


class WooSetView(ShopOwnerRequiredMixin, ShopApiKeysView):
    """Connect the shop's WooCommerce site (owners): the address and the key are tried at once,
    then the first pull starts."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = WooForm(request.POST, prefix="woo")
        if form.is_valid():
            data = form.cleaned_data
            try:
                feed = woo_connect(
                    shop=self.shop, url=data["url"], key=data["key"], secret=data["secret"],
                    period=data["period"],
                )  # fmt: skip
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(_WOO_FIELDS.get(field, "url"), errors)
            else:
                messages.success(
                    request, _("Site WooCommerce connecté : première lecture dans un instant.")
                )
                handover(stock_feed_pull_task, kwargs={"feed_id": feed.pk})
                return redirect("merchant:api-keys", slug=self.shop.code)
        context = self.get_context_data(woo_form=form, form=ApiKeyForm())
        return self.render_to_response(context, status=400)


_WOO_FIELDS = {"woo_url": "url", "woo_key": "key", "woo_secret": "secret", "period": "period"}


class WooRemoveView(ShopOwnerRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        woo_disconnect(shop=self.shop)
        messages.success(request, _("WooCommerce déconnecté : plus rien n'est lu ni envoyé."))
        return redirect("merchant:api-keys", slug=self.shop.code)
