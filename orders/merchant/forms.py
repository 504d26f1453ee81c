"""The merchant's shop-order screens: the list's filters, the pickup list's day and the
actions on one shop order."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from orders import workflow
from orders.models import ShopOrder
from orders.services import COLLECTED_PAID, PAID

Status = ShopOrder.Status

#: The button that moves a shop order to each status, in the merchant's words.
ACTION_LABELS = {
    Status.ACCEPTED: _("Accepter la commande"),
    Status.READY: _("Marquer prête"),
    COLLECTED_PAID: _("Retirée et payée"),
    Status.COLLECTED: _("Marquer retirée par le client"),
    Status.HANDED_TO_COURIER: _("Marquer remise au livreur"),
    Status.DELIVERED: _("Marquer livrée"),
    Status.DELIVERY_FAILED: _("Signaler l'échec de la livraison"),
    Status.REFUSED: _("Refuser la commande"),
    Status.CANCELLED: _("Annuler la commande"),
    PAID: _("Marquer payée"),
}


#: A delivery leaves the shop with the town's courier: only the courier's page moves it on.
COURIER_MOVES = frozenset({Status.HANDED_TO_COURIER, Status.DELIVERED, Status.DELIVERY_FAILED})


class ShopOrderFilterForm(forms.Form):
    """The list's filters (GET): all optional; an unknown value is refused with a message."""

    status = forms.ChoiceField(
        label=_("Statut"),
        required=False,
        choices=[("todo", _("À traiter")), ("", _("Tous les statuts")), *Status.choices],
    )
    fulfilment = forms.ChoiceField(
        label=_("Mode de remise"),
        required=False,
        choices=[("", _("Tous")), *ShopOrder.Fulfilment.choices],
    )
    shop = forms.ChoiceField(label=_("Boutique"), required=False)
    q = forms.CharField(label=_("Numéro, nom ou e-mail du client"), required=False, max_length=100)

    def __init__(self, *args, shops, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shop"].choices = [("", _("Toutes"))] + [(str(s.pk), s.name) for s in shops]
        self.several_shops = len(shops) > 1

    def filters(self) -> dict:
        """The selector's keyword arguments: what is valid, "to handle" by default."""
        if not self.is_bound:
            return {"status": "todo"}
        if not self.is_valid():
            return {"status": "todo"}
        data = self.cleaned_data
        return {
            "status": data["status"],
            "fulfilment": data["fulfilment"],
            "shop_id": int(data["shop"]) if data["shop"] else None,
            "query": data["q"].strip(),
        }


def actions_for(shop_order: ShopOrder) -> list[str]:
    """What the merchant may do now: the workflow's next statuses (but a delivery's moves
    once it leaves the shop, which are the courier's), then "mark paid" for a shop order paid
    on site and not yet paid (a card payment is recorded by Stripe). A ready click & collect
    order to be paid on site offers "collected and paid" first, as one action."""
    allowed = workflow.allowed_next(fulfilment=shop_order.fulfilment, status=shop_order.status)
    if shop_order.fulfilment == ShopOrder.Fulfilment.DELIVERY:
        allowed -= COURIER_MOVES  # the town's couriers record these from their rounds
    paid_on_site = not hasattr(shop_order.order, "payment")
    to_cash = paid_on_site and not shop_order.is_paid
    if to_cash and Status.COLLECTED in allowed:
        allowed |= {COLLECTED_PAID}  # the usual case at the counter: one tap
    actions = [action for action in ACTION_LABELS if action in allowed]
    if to_cash and shop_order.status not in workflow.ABANDONED:
        actions.append(PAID)
    return actions


class ShopOrderActionForm(forms.Form):
    """One action on a shop order, with the status the merchant's page showed (`seen`): the
    action is refused if the shop order has moved since."""

    action = forms.ChoiceField(label=_("Action"))
    seen = forms.ChoiceField(choices=Status.choices, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Motif (le client le lira)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, shop_order: ShopOrder, **kwargs):
        super().__init__(*args, **kwargs)
        self.shop_order = shop_order
        self.fields["action"].choices = [(a, ACTION_LABELS[a]) for a in actions_for(shop_order)]
        self.fields["action"].error_messages["invalid_choice"] = _(
            "Cette action n'est pas possible sur une commande « %(status)s »."
        ) % {"status": Status(shop_order.status).label}

    def clean(self):
        data = super().clean()
        if data.get("seen") and data["seen"] != self.shop_order.status:
            raise forms.ValidationError(
                _("Cette commande est passée à « %(status)s » entre-temps : rien n'a été changé.")
                % {"status": Status(self.shop_order.status).label},
                code="status_changed_meanwhile",
            )
        if data.get("action") in workflow.REASON_REQUIRED and not data.get("reason", "").strip():
            self.add_error("reason", _("Indiquez le motif : le client le verra."))
        return data


class OrderListFilterForm(forms.Form):
    """The filters of one shop's order list (GET), all optional: an unknown value is refused
    with a message and the list shows what is still to handle."""

    status = forms.ChoiceField(
        label=_("Statut"),
        required=False,
        choices=[("todo", _("À traiter")), ("", _("Tous les statuts")), *Status.choices],
    )
    fulfilment = forms.ChoiceField(
        label=_("Mode de remise"),
        required=False,
        choices=[("", _("Tous")), *ShopOrder.Fulfilment.choices],
    )
    day = forms.ChoiceField(
        label=_("Créneau"),
        required=False,
        choices=[
            ("", _("Tous les jours")),
            ("today", _("Aujourd'hui")),
            ("tomorrow", _("Demain")),
            ("week", _("Cette semaine")),
        ],
    )
    q = forms.CharField(label=_("Numéro, nom ou e-mail du client"), required=False, max_length=100)

    def filters(self) -> dict:
        """The selector's keyword arguments: what is valid, "to handle" by default."""
        if not self.is_bound or not self.is_valid():
            return {"status": "todo"}
        data = self.cleaned_data
        return {
            "status": data["status"],
            "fulfilment": data["fulfilment"],
            "day": data["day"],
            "query": data["q"],
        }


class PickupDayForm(forms.Form):
    """The day of the pickup list (GET): today unless another valid date is given."""

    date = forms.DateField(
        label=_("Jour des retraits"),
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Indiquez une date valide (jj/mm/aaaa).")},
    )

    def day(self, today: datetime.date) -> datetime.date:
        if self.is_bound and self.is_valid() and self.cleaned_data["date"]:
            return self.cleaned_data["date"]
        return today
