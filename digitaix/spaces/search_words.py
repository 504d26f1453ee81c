"""/gestion/recherche/: the town staff edit the search's synonyms, one group per line."""

from django import forms
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from oscar.core.loading import get_model

from catalog.search.words import synonym_words
from catalog.services import SYNONYM_GROUPS_MAX, search_synonyms_replace
from shops.access import CommerceStaffRequiredMixin

SearchSynonym = get_model("catalogue", "SearchSynonym")
LINE_MAX = 500


class SynonymsForm(forms.Form):
    groups = forms.CharField(
        label=gettext_lazy("Synonymes, un groupe par ligne"),
        error_messages={
            "required": gettext_lazy(
                "Gardez au moins un groupe : sans synonymes, « boulangère » ne trouverait plus "
                "les boulangeries."
            )
        },
        widget=forms.Textarea(attrs={"rows": 20, "spellcheck": "false"}),
        help_text=gettext_lazy(
            "Des mots séparés par des virgules, qu'un habitant peut employer pour la même "
            "chose : chercher l'un trouve ce que trouverait chacun des autres. Un groupe qui "
            "contient un métier (boulangerie, fromagerie, fleuriste…) trouve aussi les "
            "boutiques de ce métier. Exemple : « fromagerie, fromager, crémerie, fromage »."
        ),
    )

    def clean_groups(self) -> list[str]:
        groups, errors = [], []
        lines = [line.strip() for line in self.cleaned_data["groups"].splitlines()]
        for number, line in enumerate(lines, start=1):
            if not line:
                continue
            if len(line) > LINE_MAX:
                errors.append(
                    _("Ligne %(n)s : %(max)s caractères au plus.") % {"n": number, "max": LINE_MAX}
                )
            elif len(synonym_words(line)) < 2:
                errors.append(
                    _(
                        "Ligne %(n)s : un groupe compte au moins deux mots, séparés par des "
                        "virgules."
                    )
                    % {"n": number}
                )
            else:
                groups.append(
                    ", ".join(
                        part.strip() for part in line.replace(";", ",").split(",") if part.strip()
                    )
                )
        if len(groups) > SYNONYM_GROUPS_MAX:
            errors.append(_("%(max)s groupes au plus.") % {"max": SYNONYM_GROUPS_MAX})
        if errors:
            raise forms.ValidationError(errors)
        return groups


class SearchWordsView(CommerceStaffRequiredMixin, FormView):
    template_name = "digitaix/space/staff/search_words.html"
    form_class = SynonymsForm

    def get_initial(self):
        return {"groups": "\n".join(SearchSynonym.objects.values_list("words", flat=True))}

    def form_valid(self, form):
        count = search_synonyms_replace(groups=form.cleaned_data["groups"])
        messages.success(
            self.request, _("Synonymes enregistrés : %s groupes, effectifs tout de suite.") % count
        )
        return HttpResponseRedirect(reverse("space:search-words"))
