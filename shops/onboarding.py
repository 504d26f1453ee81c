"""A merchant's first steps: signing up, opening a shop, setting its hours, and the checklist
of what is left to do before the shop is worth opening to the public.

A new shop is always `pending`: the town's commerce staff approve it (shops.services). The
merchant may prepare everything meanwhile, so each new shop comes with an e-mail saying so,
sent by Celery once the transaction has committed.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.auth.password_validation import validate_password
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.crypto import get_random_string
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from oscar.core.loading import get_model

from accounts.verification import account_exists_message_add, verification_message_add
from shops.messages import shop_created_message_add
from shops.services.location import shop_locate

Partner = get_model("partner", "Partner")
User = get_user_model()

# The shop fields a merchant fills in when signing up or adding a shop; nothing else is taken.
SHOP_CREATE_FIELDS = (
    "name",
    "trade",
    "siret",
    "address_line",
    "postcode",
    "city",
    "phone",
    "offers_click_collect",
    "offers_delivery",
)
# What "profile complete" means on the checklist.
PROFILE_FIELDS = ("description", "address_line", "postcode", "city", "phone", "siret")
CODE_MAX_LENGTH = 128


# --- Sign-up and new shops ------------------------------------------------------------------


def email_normalize(email: str) -> str:
    """The host part of an address is case-insensitive: lower it (as Oscar does)."""
    email = (email or "").strip()
    local, at, host = email.rpartition("@")
    return f"{local}@{host.lower()}" if at else email


@transaction.atomic
def merchant_signup(
    *, first_name: str, last_name: str, email: str, password: str, shop_fields: dict
) -> tuple:
    """Create the merchant's account and their first (pending) shop, all or nothing, and
    send the link proving their address: the shop reaches the town's queue once it is used.

    Returns (user, shop). Raises ValidationError in French on a weak password or a bad shop
    field; then nothing is created. An address that has an account already gets the same
    answer as a new one, (None, None), and its owner an e-mail: nothing else is created, and
    nobody learns which addresses are registered.
    """
    email = email_normalize(email)
    user = User(
        username=get_random_string(30),
        email=email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
    )
    validate_password(password, user)
    Partner(**_shop_fields_checked(shop_fields), status=Partner.Status.PENDING).full_clean(
        exclude=["code"]
    )
    owner = User.objects.filter(email__iexact=email).order_by("pk").first()
    if owner is not None:
        account_exists_message_add(user=owner)
        return None, None
    user.set_password(password)
    user.save()
    shop = shop_create(user=user, fields=shop_fields)
    verification_message_add(user=user)
    return user, shop


def _shop_fields_checked(fields: dict) -> dict:
    unknown = set(fields) - set(SHOP_CREATE_FIELDS)
    if unknown:
        raise ValueError(f"Unexpected shop fields: {sorted(unknown)}")
    return fields


@transaction.atomic
def shop_create(*, user, fields: dict) -> Partner:
    """A new pending shop run by `user`, who becomes (or stays) a merchant.

    Its code (the storefront's address) is made from its name, with -2, -3… when taken.
    """
    shop = Partner(**_shop_fields_checked(fields), status=Partner.Status.PENDING)
    shop.full_clean(exclude=["code"])
    _save_with_free_code(shop)
    shop_locate(shop=shop)
    shop.users.add(user, through_defaults={"role": "owner"})  # who creates a shop owns it
    user.user_permissions.add(
        Permission.objects.get(codename="dashboard_access", content_type__app_label="partner")
    )
    shop_created_message_add(shop=shop, user=user)
    return shop


# The merchant's space's own paths (/ma-boutique/commandes/…): no shop's code may shadow them.
SPACE_WORDS = frozenset({"nouvelle", "commandes", "paiements"})


def shop_code_free(name: str) -> str:
    """A code no shop has yet: the slugified name, else the name with -2, -3…: 1 query."""
    base = slugify(name)[: CODE_MAX_LENGTH - 8].strip("-") or "boutique"
    taken = set(Partner.objects.filter(code__startswith=base).values_list("code", flat=True))
    taken |= SPACE_WORDS
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def _save_with_free_code(shop: Partner, attempts: int = 5) -> None:
    """Save `shop` under a free code; another sign-up may take it in between: try again."""
    for attempt in range(attempts):
        shop.code = shop_code_free(shop.name)
        try:
            with transaction.atomic():
                shop.save()
            return
        except IntegrityError:
            if attempt == attempts - 1 or not Partner.objects.filter(code=shop.code).exists():
                raise
            shop.pk = None


# --- The onboarding checklist ---------------------------------------------------------------


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    label: str
    done: bool
    url: str = ""
    action: str = ""
    detail: str = ""


def shop_checklist(shop: Partner) -> list[ChecklistItem]:
    """What a merchant still has to do for `shop`, in order.

    Reads `has_opening_hours` and `has_offer` from a shop loaded by
    selectors.merchant_shops_onboarding (no query); asks the database otherwise.
    """
    has_hours = getattr(shop, "has_opening_hours", None)
    if has_hours is None:
        has_hours = shop.opening_hours.exists()
    has_offer = getattr(shop, "has_offer", None)
    if has_offer is None:
        has_offer = shop.stockrecords.exists()
    kwargs = {"slug": shop.code}
    profile_url = reverse("merchant:profile", kwargs=kwargs)
    missing = [
        _lower_first(str(Partner._meta.get_field(name).verbose_name))
        for name in PROFILE_FIELDS
        if not str(getattr(shop, name) or "").strip()
    ]
    return [
        ChecklistItem(
            key="profile",
            label=_("Compléter le profil de la boutique"),
            done=not missing,
            url=profile_url,
            action=_("Compléter le profil"),
            detail=_("Manque : %(fields)s") % {"fields": ", ".join(missing)} if missing else "",
        ),
        ChecklistItem(
            key="logo",
            label=_("Ajouter un logo"),
            done=bool(shop.logo),
            url=profile_url + "#id_logo",
            action=_("Ajouter le logo"),
        ),
        ChecklistItem(
            key="hours",
            label=_("Indiquer les horaires d'ouverture"),
            done=bool(has_hours),
            url=reverse("merchant:hours", kwargs=kwargs),
            action=_("Saisir les horaires"),
        ),
        ChecklistItem(
            key="product",
            label=_("Mettre en vente un premier produit"),
            done=bool(has_offer),
            url=reverse("merchant:product-add", kwargs=kwargs),
            action=_("Ajouter un produit"),
        ),
        ChecklistItem(
            key="services",
            label=_("Choisir le retrait en boutique et/ou la livraison"),
            done=shop.offers_click_collect or shop.offers_delivery,
            url=profile_url + "#id_offers_click_collect",
            action=_("Choisir les services"),
        ),
        _status_item(shop, profile_url),
    ]


def _lower_first(label: str) -> str:
    """ "Code postal" -> "code postal" in a sentence, but "SIRET" stays an acronym."""
    return label if label.isupper() else label[:1].lower() + label[1:]


def _status_item(shop: Partner, profile_url: str) -> ChecklistItem:
    status = Partner.Status
    if shop.status == status.LIVE:
        return ChecklistItem(
            key="status",
            label=_("Boutique en ligne"),
            done=True,
            url=reverse("shops:storefront", kwargs={"slug": shop.code}),
            action=_("Voir la vitrine"),
        )
    if shop.status == status.PENDING:
        return ChecklistItem(
            key="status",
            label=_("Validation par la mairie"),
            done=False,
            detail=_("En attente de validation par la mairie."),
        )
    label = STATUS_LABELS.get(shop.status, shop.get_status_display())
    return ChecklistItem(
        key="status",
        label=str(label),
        done=False,
        url=profile_url,
        action=_("Corriger le profil"),
        detail=shop.status_reason,
    )


STATUS_LABELS = {
    Partner.Status.REJECTED: gettext_lazy("Inscription refusée par la mairie"),
    Partner.Status.SUSPENDED: gettext_lazy("Boutique suspendue par la mairie"),
}
