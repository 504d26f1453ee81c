"""Demo accounts: an administrator, the town hall, a resident and one merchant per shop.

The town hall's account is staff but not superuser: it moderates shops and products through
the COMMERCE_STAFF_GROUP group, as the town's real commerce staff would.

Oscar signs people in by e-mail (EmailBackend); the username is set to the e-mail too, so
it is unique without inventing a second identifier. All accounts share one password,
hashed once: PBKDF2 costs a fair part of a second per hash, which for 119 merchants
would be the slowest step of the whole seed.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.utils.text import slugify
from oscar.core.loading import get_model

from accounts.verification import emails_mark_verified
from catalog.text import normalize
from shops.models import COMMERCE_STAFF_GROUP

Partner = get_model("partner", "Partner")
User = get_user_model()

PASSWORD = "demo-digitaix"
DOMAIN = "digitaix.localhost"
MERCHANT_DOMAIN = f"commercants.{DOMAIN}"


@dataclass(frozen=True)
class Login:
    role: str
    email: str
    shop: str = ""  # the shop's name, for merchants


# (role shown at the end of the seed, e-mail, user fields)
_PEOPLE = (
    (
        "Administrateur",
        f"admin@{DOMAIN}",
        {"first_name": "Alex", "last_name": "Martel", "is_staff": True, "is_superuser": True},
    ),
    (
        "Mairie",
        f"mairie@{DOMAIN}",
        {"first_name": "Claire", "last_name": "Rousseau", "is_staff": True},
    ),
    ("Habitant", f"habitant@{DOMAIN}", {"first_name": "Lucie", "last_name": "Perrin"}),
)
# E-mail -> the groups the account belongs to: the town hall moderates shops and products.
_GROUPS = {f"mairie@{DOMAIN}": (COMMERCE_STAFF_GROUP,)}


def accounts_seed(
    *, shops: list, owners: dict[str, tuple[str, str]], with_superuser: bool = True
) -> list[Login]:
    """Create the missing accounts and link each shop to a merchant; return every login.

    `owners` maps a shop code to its owner's (first name, last name). A shop that already
    has a user keeps it; existing accounts are left as they are (password included).
    Without `with_superuser`, no demo administrator: its password is public.
    """
    merchants = _merchant_emails(shops)
    people = [p for p in _PEOPLE if with_superuser or not p[2].get("is_superuser")]
    wanted = {email: fields for _, email, fields in people}
    for shop in shops:
        first, last = owners.get(shop.code, ("", ""))
        wanted.setdefault(merchants[shop.pk], {"first_name": first, "last_name": last})
    ids = _users_ensure(wanted)
    emails_mark_verified(user_ids=list(ids.values()))  # demo addresses receive no mail
    _groups_join({ids[email]: names for email, names in _GROUPS.items()})
    _merchants_link(shops, {shop.pk: ids[merchants[shop.pk]] for shop in shops})
    logins = [Login(role, email) for role, email, _ in people]
    return logins + [Login("Commerçant", merchants[shop.pk], shop.name) for shop in shops]


def _merchant_emails(shops: list) -> dict[int, str]:
    """Shop id -> its merchant's e-mail: the linked user's, else `<shop-slug>@commercants…`."""
    linked: dict[int, str] = {}
    rows = Partner.users.through.objects.filter(partner__in=shops).order_by("user_id")
    for partner_id, email in rows.values_list("partner_id", "user__email"):
        linked.setdefault(partner_id, email)
    taken = set(linked.values())
    emails: dict[int, str] = {}
    for shop in shops:
        email = linked.get(shop.pk)
        if email is None:
            local = slugify(normalize(shop.name))[:48].strip("-") or shop.code
            email = f"{local}@{MERCHANT_DOMAIN}"
            if email in taken:
                email = f"{local}-{shop.code}@{MERCHANT_DOMAIN}"
        taken.add(email)
        emails[shop.pk] = email
    return emails


def _users_ensure(wanted: dict[str, dict]) -> dict[str, int]:
    """E-mail -> user id, creating the users that do not exist yet in one bulk insert."""
    ids = dict(User.objects.filter(email__in=list(wanted)).values_list("email", "pk"))
    missing = [email for email in wanted if email not in ids]
    if missing:
        password = make_password(PASSWORD)
        created = User.objects.bulk_create(
            User(username=email, email=email, password=password, **wanted[email])
            for email in missing
        )
        ids.update((user.email, user.pk) for user in created)
    return ids


def _groups_join(memberships: dict[int, tuple[str, ...]]) -> None:
    """Put accounts in their groups (created by migrations; a missing one is skipped)."""
    groups = dict(Group.objects.values_list("name", "pk"))
    through = User.groups.through
    through.objects.bulk_create(
        [
            through(user_id=user_id, group_id=groups[name])
            for user_id, names in memberships.items()
            for name in names
            if name in groups
        ],
        ignore_conflicts=True,
    )


def _merchants_link(shops: list, merchant_ids: dict[int, int]) -> None:
    """Link merchants to their shop and grant Oscar's partner dashboard access.

    Same two steps as Oscar's own "link user to partner" dashboard view.
    """
    through = Partner.users.through
    through.objects.bulk_create(
        [
            through(partner_id=shop_id, user_id=user_id, role="owner")
            for shop_id, user_id in merchant_ids.items()
        ],
        ignore_conflicts=True,
    )
    access = Permission.objects.filter(
        codename="dashboard_access", content_type__app_label="partner"
    ).first()
    if access is None:
        return
    grants = User.user_permissions.through
    grants.objects.bulk_create(
        [grants(user_id=user_id, permission_id=access.pk) for user_id in merchant_ids.values()],
        ignore_conflicts=True,
    )
