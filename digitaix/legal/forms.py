from django import forms
from django.utils.translation import gettext_lazy as _

TITLE_MAX = 200
CONTENT_MAX = 50_000
MESSAGE_MAX = 5_000


class LegalPageForm(forms.Form):
    title = forms.CharField(label=_("Titre de la page"), max_length=TITLE_MAX)
    content = forms.CharField(
        label=_("Texte"),
        max_length=CONTENT_MAX,
        widget=forms.Textarea(attrs={"rows": 24}),
        error_messages={"required": _("La page ne peut pas être vide.")},
        help_text=_(
            "Texte simple : une ligne vide commence un nouveau paragraphe, une ligne qui "
            "commence par « ## » est un intertitre, des lignes qui commencent par « - » font "
            "une liste ; les adresses web et e-mail deviennent des liens."
        ),
    )


class ContactForm(forms.Form):
    SUBJECTS = (
        ("order", _("Une commande")),
        ("shop", _("Une boutique")),
        ("data", _("Mes données personnelles")),
        ("merchant", _("Inscrire ma boutique")),
        ("other", _("Autre chose")),
    )

    name = forms.CharField(
        label=_("Votre nom"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(
        label=_("Votre e-mail"),
        max_length=254,
        help_text=_("Pour vous répondre ; il n'est utilisé pour rien d'autre."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    subject = forms.ChoiceField(label=_("Sujet"), choices=SUBJECTS)
    order_number = forms.CharField(
        label=_("Numéro de commande (facultatif)"), max_length=128, required=False
    )
    message = forms.CharField(
        label=_("Votre message"),
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
    )

    def clean_message(self) -> str:
        message = self.cleaned_data["message"].strip()
        if len(message) < 10:
            raise forms.ValidationError(_("Votre message est trop court (10 caractères au moins)."))
        return message

    def subject_label(self) -> str:
        return str(dict(self.SUBJECTS)[self.cleaned_data["subject"]])
