"""Forms of "Ajouter un produit" and of the product form: they check formats, services decide.

The shop is never a field (it is the page's), nor the product type (a default one), nor
anything of Oscar's product form a shopkeeper does not need.
"""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from catalog.images import image_clean
from catalog.selectors import categories_labelled
from catalog.text import rich_text_plain
from shops.catalogue_io import MAX_STOCK
from shops.dashboard.stock_forms import PriceField
from shops.services import OfferChange, ProductDetails

Category = get_model("catalogue", "Category")

PHOTO_MAX_SIZE = (1600, 1600)  # as Oscar's product form (catalog.dashboard_forms)
TITLE_MAX = 255
DESCRIPTION_MAX = 2000
EAN_LENGTHS = (8, 12, 13, 14)  # EAN-8, UPC-A, EAN-13, GTIN-14


def ean_valid(code: str) -> bool:
    """Whether `code` is a barcode number whose last digit checks (EAN-8/13, UPC-A, GTIN-14)."""
    if not code.isdigit() or len(code) not in EAN_LENGTHS:
        return False
    *body, check = (int(c) for c in code)
    total = sum(d * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10 == check


def ean_of(text: str) -> str:
    """The digits of `text` when it reads as a barcode number (spaces allowed), else ""."""
    digits = "".join((text or "").split())
    return digits if digits.isdigit() and len(digits) in EAN_LENGTHS else ""


def price_input(price: Decimal | None) -> str:
    """A price as a French merchant types it: "4,45"."""
    return f"{price:.2f}".replace(".", ",") if price is not None else ""


class CatalogueSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Nom ou code-barres (EAN)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(
            attrs={"type": "search", "autocomplete": "off", "enterkeyhint": "search"}
        ),
        help_text=_("Tapez le nom du produit, ou les chiffres sous son code-barres."),
    )

    def query(self) -> str:
        return self.cleaned_data.get("q", "").strip() if self.is_valid() else ""


class OfferFields(forms.Form):
    """Price, stock and on sale: the shop's offer, on any product."""

    price = PriceField(
        label=_("Prix (€)"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        help_text=_("Par exemple 4,45"),
    )
    num_in_stock = forms.IntegerField(
        label=_("Stock"),
        min_value=0,
        max_value=MAX_STOCK,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
        error_messages={
            "invalid": _("Stock invalide : un nombre entier positif ou nul."),
            "min_value": _("Le stock ne peut pas être négatif."),
            "max_value": _("Stock trop grand."),
            "required": _("Indiquez le stock : combien en avez-vous ?"),
        },
    )
    is_on_sale = forms.BooleanField(label=_("En vente"), required=False, initial=True)

    def offer_change(self) -> OfferChange:
        data = self.cleaned_data
        return OfferChange(
            price=data["price"], num_in_stock=data["num_in_stock"], is_on_sale=data["is_on_sale"]
        )


class OfferAddForm(OfferFields):
    """ "Je vends aussi ce produit": one per product shown, its fields prefixed by its id."""


class ProductForm(OfferFields):
    """The one product form, to create or edit. With `shared=True` (another shop offers the
    product too) the product's own fields are disabled: what is posted for them is ignored."""

    PRODUCT_FIELDS = ("photo", "title", "category", "upc", "description")

    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/*", "capture": "environment"}),
        help_text=_("Prenez-la avec le téléphone ou choisissez un fichier (JPEG, PNG ou WebP)."),
    )
    title = forms.CharField(
        label=_("Nom du produit"),
        max_length=TITLE_MAX,
        error_messages={
            "required": _("Donnez un nom au produit."),
            "max_length": _("Le nom est trop long : %(limit_value)d caractères au plus."),
        },
    )
    category = forms.TypedChoiceField(
        label=_("Catégorie"),
        coerce=int,
        required=False,
        error_messages={"invalid_choice": _("Choisissez une catégorie de la liste.")},
    )
    upc = forms.CharField(
        label=_("Code-barres (EAN)"),
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("Facultatif : les chiffres sous le code-barres."),
    )
    description = forms.CharField(
        label=_("Description courte"),
        required=False,
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "max_length": _("La description est trop longue : %(limit_value)d caractères au plus.")
        },
    )

    field_order = ("photo", "title", "category", "price", "num_in_stock", "is_on_sale")

    def __init__(self, *args, shared: bool = False, categories=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.shared = shared
        self.categories = categories if categories is not None else categories_labelled()
        field = self.fields["category"]
        field.choices = [("", _("— Choisir une catégorie —"))] + [
            (c.pk, c.label) for c in self.categories
        ]
        field.required = bool(self.categories)
        field.error_messages["required"] = _("Choisissez une catégorie.")
        if shared:
            for name in self.PRODUCT_FIELDS:
                self.fields[name].disabled = True
                self.fields[name].required = False

    @classmethod
    def initial_of(cls, offer) -> dict:
        """The form's values for an existing offer and its product."""
        product = offer.product
        categories = list(product.categories.all())
        return {
            "title": product.title,
            "category": categories[0].pk if categories else "",
            "upc": product.upc or "",
            "description": description_text(product.description),
            "price": price_input(offer.price),
            "num_in_stock": offer.num_in_stock or 0,
            "is_on_sale": offer.is_on_sale,
        }

    def clean_title(self):
        return " ".join(self.cleaned_data["title"].split())

    def clean_upc(self):
        upc = "".join(self.cleaned_data.get("upc", "").split())
        if not upc or upc == self.initial.get("upc"):
            return upc  # unchanged: an older code (a CSV's) is kept as it is
        if not ean_valid(upc):
            raise ValidationError(
                _(
                    "Code-barres « %(code)s » invalide : 8, 12 ou 13 chiffres, dont le dernier "
                    "vérifie les autres. Recopiez-le ou laissez ce champ vide."
                ),
                params={"code": upc[:20]},
                code="ean",
            )
        return upc

    def clean_photo(self):
        upload = self.cleaned_data.get("photo")
        if isinstance(upload, UploadedFile):
            return image_clean(upload, max_size=PHOTO_MAX_SIZE)
        return None

    def details(self) -> ProductDetails | None:
        """The product's record as typed, or None when it is shared (not the shop's to change)."""
        if self.shared:
            return None
        data = self.cleaned_data
        category_id = data.get("category")
        category = Category.objects.filter(pk=category_id).first() if category_id else None
        return ProductDetails(
            title=data["title"],
            category=category,
            description=data.get("description", ""),
            upc=data.get("upc") or None,
            photo=data.get("photo"),
        )


def description_text(html: str) -> str:
    """A stored description back as the plain text the form edits (paragraphs kept)."""
    text = (html or "").replace("</p>", "\n\n").replace("<br>", "\n").replace("<br/>", "\n")
    return "\n\n".join(p.strip() for p in rich_text_plain(text).split("\n\n") if p.strip())
