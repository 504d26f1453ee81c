"""The one form behind the catalogue, category and search pages (no haystack)."""

from django import forms
from django.utils.translation import gettext_lazy as _

SORT_CHOICES = [
    ("relevance", _("Pertinence")),
    ("price-asc", _("Prix croissant")),
    ("price-desc", _("Prix décroissant")),
    ("newest", _("Nouveautés")),
    ("title", _("Nom (A à Z)")),
]


class SearchInput(forms.TextInput):
    input_type = "search"


class FilterForm(forms.Form):
    """A GET form of list filters: a bad value falls back to its default instead of failing."""

    defaults: dict = {}

    def cleaned_or_default(self) -> dict:
        data = dict(self.defaults)
        if self.is_bound:
            self.is_valid()
            for name in data:
                if name not in self.errors and self.cleaned_data.get(name):
                    data[name] = self.cleaned_data[name]
        return data


class SearchForm(FilterForm):
    defaults = {"q": "", "sort_by": "relevance", "shop": None, "category": None}

    q = forms.CharField(
        label=_("Rechercher un produit"),
        required=False,
        max_length=200,
        widget=SearchInput(
            attrs={"placeholder": _("Pain, fromage, roman…"), "class": "form-control"}
        ),
    )
    sort_by = forms.ChoiceField(label=_("Trier par"), choices=SORT_CHOICES, required=False)
    shop = forms.IntegerField(label=_("Boutique"), required=False, min_value=1)
    category = forms.IntegerField(label=_("Catégorie"), required=False, min_value=1)


# Names Oscar's own modules look up through get_class.
BrowseCategoryForm = SearchForm
CategoryForm = SearchForm
