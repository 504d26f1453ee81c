"""Forms of the merchant's shop screens and of the merchant sign-up.

Every message is in French and names the field at fault; every upload goes through
catalog.images.image_clean (JPEG, PNG or WebP only, bounded, re-encoded).
"""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from catalog.fields import EmailField
from catalog.images import image_clean
from shops.onboarding import SHOP_CREATE_FIELDS, email_normalize
from shops.services.identity import shop_name_taken
from shops.validators import siret_normalize, validate_siret

Partner = get_model("partner", "Partner")
User = get_user_model()

LOGO_MAX_SIZE = (512, 512)
BANNER_MAX_SIZE = (1920, 640)
IMAGE_ACCEPT = "image/jpeg,image/png,image/webp"

postcode_validator = RegexValidator(
    r"^[0-9]{5}$", _("Le code postal compte 5 chiffres (par exemple 74000)."), "postcode"
)
phone_validator = RegexValidator(
    r"^\+?[0-9][0-9 .\-]{8,18}[0-9]$",
    _("Indiquez un numéro de téléphone valide (par exemple 04 50 12 34 56)."),
    "phone",
)


def siret_field(*, required: bool) -> forms.CharField:
    """Typed SIRETs often hold spaces ("123 456 789 00012"): room for them, dropped by clean."""
    return forms.CharField(
        label=_("SIRET"),
        required=required,
        max_length=20,
        help_text=_("Les 14 chiffres de votre extrait Kbis ou de l'avis de situation Insee."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )


class ShopFieldsMixin:
    """Clean-up shared by the shop forms: spaces in a SIRET, postcode and phone checked."""

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Indiquez le nom de la boutique."), code="required")
        if shop_name_taken(name, exclude_pk=self.instance.pk):
            raise forms.ValidationError(
                _("Une autre boutique porte déjà ce nom : choisissez-en un autre."),
                code="name_taken",
            )
        return name

    def clean_siret(self):
        siret = siret_normalize(self.cleaned_data.get("siret", ""))
        if siret:
            validate_siret(siret)
        elif self.instance.siret:
            raise forms.ValidationError(
                _("Le SIRET de la boutique ne peut pas être supprimé."), code="siret_dropped"
            )
        return siret

    def clean_postcode(self):
        postcode = "".join(self.cleaned_data.get("postcode", "").split())
        if postcode:
            postcode_validator(postcode)
        return postcode

    def clean_phone(self):
        phone = " ".join(self.cleaned_data.get("phone", "").split())
        if phone:
            phone_validator(phone)
        return phone


class ShopCreateForm(ShopFieldsMixin, forms.ModelForm):
    """The shop part of the sign-up, and a merchant's next shop: everything needed to judge it."""

    siret = siret_field(required=True)

    class Meta:
        model = Partner
        fields = SHOP_CREATE_FIELDS
        labels = {"name": _("Nom de la boutique"), "address_line": _("Adresse")}
        help_texts = {
            "offers_click_collect": _("Les clients commandent en ligne et retirent en boutique."),
            "offers_delivery": _("Vous livrez à domicile, en ville."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("name", "address_line", "postcode", "city", "phone"):
            self.fields[name].required = True
        self.fields["postcode"].widget.attrs.update(inputmode="numeric", autocomplete="postal-code")
        self.fields["phone"].widget.attrs.update(type="tel", autocomplete="tel")
        self.fields["address_line"].widget.attrs.update(autocomplete="street-address")
        self.fields["city"].widget.attrs.update(autocomplete="address-level2")


class MerchantAccountForm(forms.Form):
    """The merchant's own account: who they are, their e-mail (their login) and a password."""

    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    last_name = forms.CharField(label=_("Nom"), max_length=150)
    email = EmailField(
        label=_("Adresse e-mail"),
        help_text=_("Elle vous sert d'identifiant pour vous connecter."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password1 = forms.CharField(
        label=_("Mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Confirmez le mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].widget.attrs.update(autocomplete="given-name")
        self.fields["last_name"].widget.attrs.update(autocomplete="family-name")

    def clean_email(self):
        # A registered address is not refused here: that would tell anyone which addresses
        # have an account. merchant_signup e-mails its owner instead.
        return email_normalize(self.cleaned_data["email"])

    def clean(self):
        data = super().clean()
        password1, password2 = data.get("password1"), data.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error(
                "password2",
                forms.ValidationError(
                    _("Les deux mots de passe ne correspondent pas."), code="password_mismatch"
                ),
            )
        elif password1:
            user = User(
                email=data.get("email", ""),
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
            )
            try:
                validate_password(password1, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


TERMS_MAX = 20_000


class ShopProfileForm(ShopFieldsMixin, forms.ModelForm):
    """The shop's public profile; its status is the town's, never the merchant's, and so is
    its place on the map (the geocoder places the address; staff correct it)."""

    siret = siret_field(required=False)

    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("JPEG, PNG ou WebP, 10 Mo au plus ; carré de préférence."),
        widget=forms.ClearableFileInput(
            attrs={"accept": IMAGE_ACCEPT, "data-dx-preview": "logo-preview"}
        ),
    )
    banner = forms.FileField(
        label=_("Bannière"),
        required=False,
        help_text=_("JPEG, PNG ou WebP, 10 Mo au plus ; format large (3 pour 1)."),
        widget=forms.ClearableFileInput(
            attrs={"accept": IMAGE_ACCEPT, "data-dx-preview": "banner-preview"}
        ),
    )
    website = forms.URLField(label=_("Site web"), required=False, assume_scheme="https")
    terms_of_sale = forms.CharField(
        label=_("Vos conditions de vente"),
        required=False,
        max_length=TERMS_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Facultatif : retours, échanges, réclamations, garanties propres à votre boutique. "
            "Sans texte, vous vendez selon les conditions générales du portail."
        ),
    )

    class Meta:
        model = Partner
        fields = (
            "name",
            "trade",
            "description",
            "logo",
            "banner",
            "address_line",
            "postcode",
            "city",
            "phone",
            "email",
            "website",
            "siret",
            "terms_of_sale",
            "offers_click_collect",
            "offers_delivery",
            "pickup_lead_minutes",
            "pickup_slot_minutes",
            "pickup_slot_capacity",
        )
        labels = {"name": _("Nom de la boutique")}
        help_texts = {
            "description": _("Quelques lignes pour les habitants : votre histoire, vos produits."),
            "pickup_lead_minutes": _(
                "Le premier créneau proposé commence au moins ce temps après la commande "
                "(60 = une heure, 1440 = le lendemain)."
            ),
            "pickup_slot_minutes": _(
                "Les créneaux découpent vos heures d'ouverture (de 10 à 240 minutes)."
            ),
            "pickup_slot_capacity": _(
                "Un créneau complet n'est plus proposé aux clients (de 1 à 100)."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = True
        self.fields["phone"].widget.attrs.update(type="tel")

    def clean_logo(self):
        return self._picture("logo", LOGO_MAX_SIZE)

    def clean_banner(self):
        return self._picture("banner", BANNER_MAX_SIZE)

    def _picture(self, name: str, max_size: tuple[int, int]):
        value = self.cleaned_data.get(name)
        if isinstance(value, UploadedFile):
            return image_clean(value, max_size=max_size)
        return value
