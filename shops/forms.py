"""The public shop directory's filter form (GET)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from catalog.search.forms import FilterForm, SearchInput

Partner = get_model("partner", "Partner")


class ShopDirectoryForm(FilterForm):
    defaults = {"q": "", "trade": "", "open_now": False, "click_collect": False, "delivery": False}

    q = forms.CharField(
        label=_("Nom de la boutique"),
        required=False,
        max_length=100,
        widget=SearchInput(
            attrs={"placeholder": _("Boulangerie, fromager…"), "class": "form-control"}
        ),
    )
    trade = forms.ChoiceField(
        label=_("Métier"),
        required=False,
        choices=[("", _("Tous les métiers")), *Partner.Trade.choices],
        widget=forms.Select(attrs={"class": "custom-select"}),
    )
    open_now = forms.BooleanField(label=_("Ouvert maintenant"), required=False)
    click_collect = forms.BooleanField(label=_("Retrait en boutique"), required=False)
    delivery = forms.BooleanField(label=_("Livraison à domicile"), required=False)
