"""The staff's forms to add a courier and to change one."""

from django import forms
from django.utils.translation import gettext_lazy as _

from catalog.fields import EmailField
from delivery.models import COURIER_MAX_CAPACITY

WEEKDAYS = [
    ("0", _("Lundi")),
    ("1", _("Mardi")),
    ("2", _("Mercredi")),
    ("3", _("Jeudi")),
    ("4", _("Vendredi")),
    ("5", _("Samedi")),
    ("6", _("Dimanche")),
]


class CourierFieldsForm(forms.Form):
    capacity = forms.IntegerField(
        label=_("Colis par tournée"), min_value=1, max_value=COURIER_MAX_CAPACITY, initial=30
    )
    working_days = forms.MultipleChoiceField(
        label=_("Jours travaillés"),
        choices=WEEKDAYS,
        widget=forms.CheckboxSelectMultiple,
        initial=["0", "1", "2", "3", "4"],
    )

    def clean_working_days(self) -> str:
        return "".join(sorted(self.cleaned_data["working_days"]))


class CourierAddForm(CourierFieldsForm):
    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    last_name = forms.CharField(label=_("Nom"), max_length=150)
    email = EmailField(
        label=_("E-mail"),
        help_text=_(
            "Un compte existant devient livreur ; sinon il est créé, et le livreur choisit son "
            "mot de passe avec « Mot de passe oublié ? »."
        ),
    )
    field_order = ["first_name", "last_name", "email", "capacity", "working_days"]


class CourierEditForm(CourierFieldsForm):
    is_active = forms.BooleanField(label=_("En service"), required=False)
