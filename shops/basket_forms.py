"""Oscar's basket line form: an empty quantity is a French error, not a removal.

Oscar reads an empty quantity as 0 and deletes the line: a resident who clears the box by
mistake loses the article without a word. Bad input changes nothing; 0 still removes it.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.apps.basket import forms as oscar_forms


class BasketLineForm(oscar_forms.BasketLineForm):
    quantity = forms.IntegerField(
        label=_("Quantité"),
        min_value=0,
        initial=1,
        error_messages={
            "required": _("Indiquez une quantité (0 pour retirer l'article)."),
            "invalid": _("La quantité doit être un nombre entier."),
            "min_value": _("La quantité ne peut pas être négative."),
        },
    )

    class Meta(oscar_forms.BasketLineForm.Meta):
        pass
