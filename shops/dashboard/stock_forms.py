"""Forms of the merchant's stock editor and CSV import: they check formats, services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from shops.catalogue_io import MAX_STOCK, price_parse
from shops.services import OfferChange

# The products list's filters (keys: shops.product_selectors.FILTERS).
FILTER_CHOICES = (
    ("tous", _("Tous")),
    ("rupture", _("En rupture")),
    ("hors-vente", _("Pas en vente")),
    ("retires", _("Retirés par la mairie")),
)


class PriceField(forms.CharField):
    """A price > 0 with at most 2 decimals, French decimal comma accepted."""

    def clean(self, value):
        value = super().clean(value)
        price = price_parse(value)
        if price is None:
            raise forms.ValidationError(
                _("Prix « %(value)s » invalide : un montant supérieur à 0, 2 décimales au plus.")
                % {"value": value},
                code="price",
            )
        return price


class OfferStockForm(forms.Form):
    """One row of the stock editor; its fields are named `offre-<id>-price` and so on."""

    price = PriceField(label=_("Prix (€)"), max_length=20)
    num_in_stock = forms.IntegerField(
        label=_("Stock"),
        min_value=0,
        max_value=MAX_STOCK,
        error_messages={
            "invalid": _("Stock invalide : un nombre entier positif ou nul."),
            "min_value": _("Le stock ne peut pas être négatif."),
        },
    )
    is_on_sale = forms.BooleanField(label=_("En vente"), required=False)

    def __init__(self, *args, offer, **kwargs):
        self.offer = offer
        initial = {
            "price": f"{offer.price:.2f}".replace(".", ",") if offer.price is not None else "",
            "num_in_stock": offer.num_in_stock if offer.num_in_stock is not None else 0,
            "is_on_sale": offer.is_on_sale,
        }
        super().__init__(*args, prefix=f"offre-{offer.pk}", initial=initial, **kwargs)
        self.fields["price"].widget.attrs.update(
            {"inputmode": "decimal", "class": "dx-input dx-input--short", "size": 8}
        )
        self.fields["num_in_stock"].widget.attrs.update(
            {"class": "dx-input dx-input--short", "min": 0}
        )

    def clean_num_in_stock(self):
        stock = self.cleaned_data["num_in_stock"]
        allocated = self.offer.num_allocated or 0
        if stock < allocated:
            raise forms.ValidationError(
                _("Le stock ne peut pas descendre sous les %(n)s unités déjà réservées.")
                % {"n": allocated},
                code="allocated",
            )
        return stock

    def add_error(self, field, error):
        """Link each error to its input (aria-describedby names the message's id)."""
        super().add_error(field, error)
        for name in self._errors:
            attrs = self.fields[name].widget.attrs if name in self.fields else None
            if attrs is not None and "aria-describedby" not in attrs:
                attrs["aria-describedby"] = f"{self[name].auto_id}-error"
                attrs["aria-invalid"] = "true"

    def change(self) -> OfferChange:
        data = self.cleaned_data
        return OfferChange(
            price=data["price"], num_in_stock=data["num_in_stock"], is_on_sale=data["is_on_sale"]
        )


class OnSaleForm(forms.Form):
    on_sale = forms.TypedChoiceField(
        label=_("En vente"),
        choices=(("0", _("Retirer")), ("1", _("Remettre en vente"))),
        coerce=int,
    )


class CsvUploadForm(forms.Form):
    # Empty files reach the import service, which refuses them with its own report.
    file = forms.FileField(
        label=_("Fichier CSV"),
        allow_empty_file=True,
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
    )
