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
from shops.onboarding import SHOP_CREATE_FIELDS, email_normalize, hours_overlaps
from shops.services.identity import shop_name_taken
from shops.validators import siret_normalize, validate_siret

Partner = get_model("partner", "Partner")
OpeningHours = get_model("partner", "OpeningHours")
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


class ShopProfileForm(ShopFieldsMixin, forms.ModelForm):
    """The shop's public profile; its status is the town's, never the merchant's."""

    siret = siret_field(required=False)

    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("JPEG, PNG ou WebP, 10 Mo au plus ; carré de préférence."),
        widget=forms.ClearableFileInput(attrs={"accept": IMAGE_ACCEPT}),
    )
    banner = forms.FileField(
        label=_("Bannière"),
        required=False,
        help_text=_("JPEG, PNG ou WebP, 10 Mo au plus ; format large (3 pour 1)."),
        widget=forms.ClearableFileInput(attrs={"accept": IMAGE_ACCEPT}),
    )
    latitude = forms.DecimalField(
        label=_("Latitude"),
        required=False,
        min_value=-90,
        max_value=90,
        max_digits=9,
        decimal_places=6,
        help_text=_("Facultatif : pour placer la boutique sur la carte (ex. 45.899247)."),
    )
    longitude = forms.DecimalField(
        label=_("Longitude"),
        required=False,
        min_value=-180,
        max_value=180,
        max_digits=9,
        decimal_places=6,
        help_text=_("Facultatif (ex. 6.129384)."),
    )

    website = forms.URLField(label=_("Site web"), required=False, assume_scheme="https")

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
            "latitude",
            "longitude",
            "phone",
            "email",
            "website",
            "siret",
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

    def clean(self):
        data = super().clean()
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            raise forms.ValidationError(
                _("Indiquez la latitude et la longitude, ou aucune des deux."), code="coordinates"
            )
        return data


# --- Weekly hours and closing periods -----------------------------------------------------


class OpeningHoursForm(forms.Form):
    weekday = forms.TypedChoiceField(
        label=_("Jour"),
        choices=[("", "—")] + list(OpeningHours.Weekday.choices),
        coerce=int,
    )
    opens = forms.TimeField(
        label=_("Ouverture"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    closes = forms.TimeField(
        label=_("Fermeture"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens"), data.get("closes")
        if opens and closes and opens >= closes:
            self.add_error(
                "closes",
                forms.ValidationError(
                    _("L'heure de fermeture doit suivre l'heure d'ouverture."),
                    code="hours_order",
                ),
            )
        return data


def _kept(formset) -> list[dict]:
    """The cleaned rows of a valid formset, without the deleted and the untouched ones."""
    return [
        form.cleaned_data
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


class BaseOpeningHoursFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        spans = [(row["weekday"], row["opens"], row["closes"]) for row in _kept(self)]
        clashes = hours_overlaps(spans)
        if clashes:
            names = dict(OpeningHours.Weekday.choices)
            raise forms.ValidationError(
                [
                    forms.ValidationError(
                        _(
                            "Le %(day)s, les plages %(first)s et %(second)s se chevauchent : "
                            "corrigez l'une des deux."
                        ),
                        code="hours_overlap",
                        params={
                            "day": str(names[a[0]]).lower(),
                            "first": _span(a),
                            "second": _span(b),
                        },
                    )
                    for a, b in clashes
                ]
            )

    def rows(self) -> list[dict]:
        return [{k: row[k] for k in ("weekday", "opens", "closes")} for row in _kept(self)]


def _span(span: tuple) -> str:
    return f"{span[1]:%H:%M}–{span[2]:%H:%M}"


OpeningHoursFormSet = forms.formset_factory(
    OpeningHoursForm, formset=BaseOpeningHoursFormSet, extra=3, can_delete=True, max_num=70
)


class ClosingPeriodForm(forms.Form):
    starts_on = forms.DateField(
        label=_("Du"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    ends_on = forms.DateField(
        label=_("Au (inclus)"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    reason = forms.CharField(label=_("Motif"), max_length=200, required=False)

    def clean(self):
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error(
                "ends_on",
                forms.ValidationError(
                    _("La fermeture ne peut pas finir avant de commencer."), code="closure_order"
                ),
            )
        return data


class BaseClosingPeriodFormSet(forms.BaseFormSet):
    def rows(self) -> list[dict]:
        return [
            {"starts_on": r["starts_on"], "ends_on": r["ends_on"], "reason": r.get("reason", "")}
            for r in _kept(self)
        ]


ClosingPeriodFormSet = forms.formset_factory(
    ClosingPeriodForm, formset=BaseClosingPeriodFormSet, extra=2, can_delete=True, max_num=50
)


def hours_initial(shop) -> list[dict]:
    return [
        {"weekday": h.weekday, "opens": h.opens, "closes": h.closes}
        for h in shop.opening_hours.all()
    ]


def closures_initial(shop) -> list[dict]:
    return [
        {"starts_on": c.starts_on, "ends_on": c.ends_on, "reason": c.reason}
        for c in shop.closing_periods.all()
    ]
