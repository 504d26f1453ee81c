"""The town's moderation screens, under /dashboard/moderation/ (commerce staff only).

The queue of shops by status, one shop's file and the decisions it allows, the audit log,
and the products the town may withdraw from the portal. Every decision goes through a
service (shops.services.shop_moderate, product_moderate), which refuses in French what makes
no sense; the page shows that message and nothing changes.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import ListView, TemplateView
from oscar.core.loading import get_model

from shops import identity_selectors, moderation_selectors, selectors
from shops.access import CommerceStaffRequiredMixin
from shops.dashboard.moderation_forms import (
    LogFilterForm,
    ProductSearchForm,
    QueueFilterForm,
    decision_form,
)
from shops.services import TRANSITIONS, identity_change_decide, product_moderate, shop_moderate

Partner = get_model("partner", "Partner")
ModerationEvent = get_model("partner", "ModerationEvent")
ProductModerationEvent = get_model("partner", "ProductModerationEvent")
ShopIdentityChange = get_model("partner", "ShopIdentityChange")

LOG_PAGE_SIZE = 25


class ModerationQueueView(CommerceStaffRequiredMixin, ListView):
    """Shops of one status (pending by default), oldest first, with the count of each status."""

    template_name = "digitaix/dashboard/moderation/queue.html"
    context_object_name = "shops"
    paginate_by = 25

    def get_queryset(self):
        self.filter_form = QueueFilterForm(self.request.GET)
        self.status = self.filter_form.status()
        return selectors.moderation_shops(status=self.status)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        counts = selectors.moderation_status_counts()
        ctx["tabs"] = [
            {"value": value, "label": label, "count": counts[value], "active": value == self.status}
            for value, label in Partner.Status.choices
        ]
        ctx["status_label"] = Partner.Status(self.status).label
        ctx["identity_changes"] = list(identity_selectors.moderation_identity_changes())
        return ctx


class _DecisionView(CommerceStaffRequiredMixin, TemplateView):
    """A page about one object with a form per decision its state allows (POST: apply one)."""

    labels: dict = {}  # action -> the button's text

    def get_object(self):
        raise NotImplementedError

    def allowed_actions(self, obj) -> list[str]:
        raise NotImplementedError

    def apply(self, obj, form):
        raise NotImplementedError

    def success_message(self, obj, event) -> str:
        raise NotImplementedError

    def form_kwargs(self, obj, action: str) -> dict:
        """What one action's form needs beyond its action (a shop's gaps for approval)."""
        return {}

    def _form(self, obj, action: str, data=None):
        choices = [(a, str(label)) for a, label in self.labels.items()]
        return decision_form(
            data,
            action=action,
            choices=choices,
            needs_reason=self.needs_reason,
            **self.form_kwargs(obj, action),
        )

    def decision_forms(self, obj, bound=None) -> list:
        """One form per allowed action; the posted one keeps what was typed, unless it asks to
        confirm the object's current state (then it shows that state afresh)."""
        forms = []
        for action in self.allowed_actions(obj):
            fresh = self._form(obj, action)
            posted = bound is not None and bound.data.get("action") == action
            form = bound if posted and "confirm" not in fresh.fields else fresh
            forms.append(
                {
                    "action": action,
                    "label": self.labels[action],
                    "form": form,
                    "needs_reason": action in self.needs_reason,
                }
            )
        return forms

    def get(self, request, *args, **kwargs):
        obj = self.get_object()
        return self.render_to_response(self.get_context_data(object=obj, **self.context_of(obj)))

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        action = request.POST.get("action", "")
        form = self._form(obj, action if action in self.labels else "decision", request.POST)
        errors = []
        if form.is_valid():
            try:
                event = self.apply(obj, form)
            except ValidationError as error:
                errors = error.messages
            else:
                messages.success(request, self.success_message(obj, event))
                return redirect(request.path)
        else:
            errors = [e for field_errors in form.errors.values() for e in field_errors]
        obj = self.get_object()  # as saved: a refused decision changed nothing
        ctx = self.get_context_data(object=obj, decision_errors=errors, **self.context_of(obj))
        ctx["decisions"] = self.decision_forms(obj, bound=form)
        return self.render_to_response(ctx)

    def context_of(self, obj) -> dict:
        return {"decisions": self.decision_forms(obj)}


class ShopModerationView(_DecisionView):
    """A shop's file as its merchant filled it in, its history, and the decisions it allows."""

    template_name = "digitaix/dashboard/moderation/shop.html"
    labels = {
        ModerationEvent.Action.APPROVE: _("Valider la boutique"),
        ModerationEvent.Action.REJECT: _("Refuser l'inscription"),
        ModerationEvent.Action.SUSPEND: _("Suspendre la boutique"),
        ModerationEvent.Action.REINSTATE: _("Rétablir la boutique"),
    }
    needs_reason = {action for action, (_s, _t, needs) in TRANSITIONS.items() if needs}

    def get_object(self):
        return selectors.moderation_shop_get(pk=self.kwargs["pk"])

    def allowed_actions(self, shop) -> list[str]:
        return [a for a, (sources, _t, _n) in TRANSITIONS.items() if shop.status in sources]

    def gaps(self, shop) -> list:
        """What the shop lacks now (read once per page shown)."""
        if getattr(self, "_gaps_of", None) is not shop:
            self._gaps_of, self._gaps = shop, moderation_selectors.shop_gaps_now(shop=shop)
        return self._gaps

    def form_kwargs(self, shop, action: str) -> dict:
        if action != ModerationEvent.Action.APPROVE:
            return {}
        return {"gaps": [gap for gap in self.gaps(shop) if gap.blocks_approval]}

    def apply(self, shop, form):
        return shop_moderate(
            shop=shop,
            by=self.request.user,
            action=form.cleaned_data["action"],
            reason=form.cleaned_data["reason"],
            confirmed_gaps=form.confirmed_gaps(),
        )

    def success_message(self, shop, event) -> str:
        return _("Décision enregistrée : « %(shop)s » — %(action)s. Le commerçant est prévenu.") % {
            "shop": shop.name,
            "action": event.get_action_display(),
        }

    def context_of(self, shop) -> dict:
        return {
            "shop_object": shop,
            "gaps": self.gaps(shop),
            "events": list(selectors.moderation_shop_events(shop=shop)),
            "identity_changes": list(
                identity_selectors.moderation_shop_identity_changes(shop=shop)
            ),
            **super().context_of(shop),
        }


class ProductModerationView(_DecisionView):
    """A product, the shops offering it, its history, and withdraw or restore."""

    template_name = "digitaix/dashboard/moderation/product.html"
    labels = {
        ProductModerationEvent.Action.WITHDRAW: _("Retirer le produit du portail"),
        ProductModerationEvent.Action.RESTORE: _("Remettre le produit en ligne"),
    }
    needs_reason = {ProductModerationEvent.Action.WITHDRAW}

    def get_object(self):
        return selectors.moderation_product_get(pk=self.kwargs["pk"])

    def allowed_actions(self, product) -> list[str]:
        if product.is_public:
            return [ProductModerationEvent.Action.WITHDRAW]
        return [ProductModerationEvent.Action.RESTORE]

    def apply(self, product, form):
        data = form.cleaned_data
        return product_moderate(
            product=product, by=self.request.user, action=data["action"], reason=data["reason"]
        )

    def success_message(self, product, event) -> str:
        return _(
            "Décision enregistrée : « %(product)s » — %(action)s. Les commerçants sont prévenus."
        ) % {"product": product.title, "action": event.get_action_display()}

    def context_of(self, product) -> dict:
        return {
            "product": product,
            "events": list(selectors.moderation_product_events(product=product)),
            **super().context_of(product),
        }


class IdentityChangeModerationView(_DecisionView):
    """A live shop's requested name, SIRET or address beside the approved ones: decide."""

    template_name = "digitaix/dashboard/moderation/identity_change.html"
    labels = {"approve": _("Valider la modification"), "refuse": _("Refuser la modification")}
    needs_reason = {"refuse"}

    def get_object(self):
        return identity_selectors.moderation_identity_change_get(pk=self.kwargs["pk"])

    def allowed_actions(self, change) -> list[str]:
        return list(self.labels) if change.status == ShopIdentityChange.Status.PENDING else []

    def apply(self, change, form):
        data = form.cleaned_data
        return identity_change_decide(
            change=change,
            by=self.request.user,
            approve=data["action"] == "approve",
            reason=data["reason"],
        )

    def success_message(self, change, decided) -> str:
        return _("Décision enregistrée : « %(shop)s » — %(status)s. Le commerçant est prévenu.") % {
            "shop": change.shop.name,
            "status": decided.get_status_display(),
        }

    def context_of(self, change) -> dict:
        return {"change": change, "shop_object": change.shop, **super().context_of(change)}


class ModerationLogView(CommerceStaffRequiredMixin, TemplateView):
    """The audit log: decisions on shops, then on products, each paginated; filter by shop."""

    template_name = "digitaix/dashboard/moderation/log.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        form = LogFilterForm(self.request.GET or None)
        shop = form.shop()
        shop_events = selectors.moderation_log_shops(shop=shop)
        product_events = selectors.moderation_log_products(shop=shop)
        get = self.request.GET.get
        ctx.update(
            form=form,
            selected_shop=shop,
            shop_events=Paginator(shop_events, LOG_PAGE_SIZE).get_page(get("page")),
            product_events=Paginator(product_events, LOG_PAGE_SIZE).get_page(get("page_produits")),
        )
        return ctx


class ProductModerationListView(CommerceStaffRequiredMixin, ListView):
    """Products by title, with the shops offering them and whether the town withdrew them."""

    template_name = "digitaix/dashboard/moderation/products.html"
    context_object_name = "products"
    paginate_by = 25

    def get_queryset(self):
        self.search_form = ProductSearchForm(self.request.GET)
        return selectors.moderation_products(**self.search_form.filters())

    def get_context_data(self, **kwargs):
        return super().get_context_data(form=self.search_form, **kwargs)
