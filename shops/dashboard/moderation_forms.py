"""Forms of the town's moderation screens: filters, and one decision on a shop or a product.

The services decide whether a decision makes sense (shops.services.shop_moderate,
product_moderate); these forms only check the input's shape, so their messages and the
services' agree.
"""

from collections.abc import Sequence

from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

Partner = get_model("partner", "Partner")
ModerationEvent = get_model("partner", "ModerationEvent")
ProductModerationEvent = get_model("partner", "ProductModerationEvent")

REASON_MAX_LENGTH = 2000
_REASON_MISSING = _("Indiquez le motif : il est transmis au commerçant.")


class DecisionForm(forms.Form):
    """One decision: its action (the button pressed) and, when the action needs it, a reason.

    `needs_reason` lists the actions that need one; the reason reaches the merchants. `gaps`
    (shops.moderation_selectors.Gap) are what approving would put online without: the form
    then asks to confirm them, naming them, and posts back the ones it showed.
    """

    action = forms.ChoiceField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Motif (transmis au commerçant)"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, choices, needs_reason: set[str], gaps: Sequence = (), **kwargs):
        super().__init__(*args, **kwargs)
        if gaps:
            self._ask_confirmation(gaps)
        self.fields["action"].choices = choices
        self.fields["action"].error_messages["invalid_choice"] = _("Décision inconnue.")
        self.needs_reason = needs_reason
        if self.initial.get("action") in needs_reason:
            reason = self.fields["reason"]
            reason.required = True
            reason.error_messages["required"] = _REASON_MISSING

    def _ask_confirmation(self, gaps: Sequence) -> None:
        named = ", ".join(gap.label for gap in gaps)
        self.fields["confirm"] = forms.BooleanField(
            label=_("Je confirme malgré : %(gaps)s") % {"gaps": named},
            required=False,
            help_text=_("La boutique sera visible du public dans cet état."),
        )
        self.fields["gaps_seen"] = forms.CharField(
            widget=forms.HiddenInput, required=False, max_length=200
        )
        self.initial.setdefault("gaps_seen", " ".join(gap.key for gap in gaps))

    def clean(self):
        data = super().clean()
        if data.get("action") in self.needs_reason and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Indiquez le motif : il est transmis au commerçant."))
        return data

    def confirmed_gaps(self) -> frozenset[str]:
        """The gaps the page showed and the staff confirmed by ticking the box (else none)."""
        if not self.cleaned_data.get("confirm"):
            return frozenset()
        return frozenset((self.cleaned_data.get("gaps_seen") or "").split())


def decision_form(
    data=None, *, action: str, choices, needs_reason: set[str], gaps: Sequence = ()
) -> DecisionForm:
    """The form of one action, with ids of its own so several fit on one page."""
    return DecisionForm(
        data,
        initial={"action": action},
        choices=choices,
        needs_reason=needs_reason,
        gaps=gaps,
        auto_id=f"id_{action}_%s",
    )


class QueueFilterForm(forms.Form):
    statut = forms.ChoiceField(label=_("Statut"), choices=Partner.Status.choices, required=False)

    def status(self) -> str:
        if self.is_valid() and self.cleaned_data["statut"]:
            return self.cleaned_data["statut"]
        return Partner.Status.PENDING


class LogFilterForm(forms.Form):
    boutique = forms.ModelChoiceField(
        label=_("Boutique"),
        queryset=Partner.objects.only("pk", "name").order_by("name", "pk"),
        required=False,
        empty_label=_("Toutes les boutiques"),
    )

    def shop(self):
        return self.cleaned_data["boutique"] if self.is_valid() else None


class ProductSearchForm(forms.Form):
    STATES = (
        ("", _("Tous")),
        ("public", _("En ligne")),
        ("withdrawn", _("Retirés")),
    )

    q = forms.CharField(label=_("Titre du produit"), required=False, max_length=200)
    etat = forms.ChoiceField(label=_("État"), choices=STATES, required=False)

    def filters(self) -> dict:
        if not self.is_valid():
            return {"query": "", "state": ""}
        return {"query": self.cleaned_data["q"], "state": self.cleaned_data["etat"]}
