"""Who may do what: the portal's roles, decided here and nowhere else.

Three roles work in the dashboard, each with its own space:

- **merchant**: holds `partner.dashboard_access` and works for one or more shops
  (`Partner.users`); sees and changes its own shops only, in our merchant screens under
  /ma-boutique/<shop>/ (their products, orders, hours, profile...). Oscar's product form and
  order screens show every shop's data and are the superuser's. A suspended or pending
  shop's merchant keeps their access: only the public pages hide the shop.
- **town staff**: holds `partner.moderate_shops` through the COMMERCE_STAFF_GROUP group;
  moderation (shops, products, reviews), the console, the delivery board, and read-only views
  of shops, products and shop orders for support. They change another shop's product only
  through moderation actions, each logged and e-mailed to the merchant.
- **superuser**: `/admin/` and Oscar's raw dashboard screens, over every shop.
- **an API key** (`Authorization: Api-Key <key>`, /api/v1/): acts for the one shop that owns
  it, reading with a `read` key, reading and writing with a `write` key
  (`ShopApiKeyAuthentication`, `HasShopApiKey` below). Another shop's object answers 404.

Oscar's dashboard hands every shop's products, orders and addresses to any `is_staff` account
(its views test `user.is_staff`, not a role). So `is_staff` alone never opens anything here:
Oscar's screens are gated by `oscar_dashboard_allows` (OscarDashboardGateMiddleware), where a
staff account that is not a superuser gets the dashboard's home and nothing else, even when it
is also on a shop's team (it then runs that shop from the merchant screens, which are ours).
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions, permissions

from shops import selectors

MERCHANT_PERMISSION = "partner.dashboard_access"
MODERATION_PERMISSION = "partner.moderate_shops"

# Oscar's dashboard URL names (namespace "dashboard") each role may open; a superuser opens
# them all. Any other Oscar screen, and any Oscar adds later, is the superuser's.
OSCAR_OPEN = frozenset({"login", "logout"})
OSCAR_FOR_MERCHANTS = frozenset(
    {
        "index",
    }
)
OSCAR_FOR_TOWN_STAFF = frozenset({"index"})


def _signed_in(user) -> bool:
    return user.is_authenticated and user.is_active


def is_superuser(user) -> bool:
    return _signed_in(user) and user.is_superuser


def is_merchant(user) -> bool:
    return _signed_in(user) and user.has_perm(MERCHANT_PERMISSION)


def is_commerce_staff(user) -> bool:
    """The town's staff (a superuser too: Django grants them every permission)."""
    return _signed_in(user) and user.has_perm(MODERATION_PERMISSION)


def sees_every_shop(user) -> bool:
    """In Oscar's product screens: every shop's data (superuser), or only the user's own
    shops' offers (anyone else the gate lets in: merchants)."""
    return is_superuser(user)


def sees_hidden_shops(user) -> bool:
    """Pending or suspended shops' storefronts: the town's staff, for support."""
    return is_commerce_staff(user)


def works_in_back_office(user) -> bool:
    """A merchant, the town's staff, a superuser or anyone Django's admin lets in: their
    public pages show edit links and hidden shops, so they are never served the pages kept
    for the public (catalog.pagecache)."""
    return _signed_in(user) and (
        user.is_staff or is_superuser(user) or is_merchant(user) or is_commerce_staff(user)
    )


def moderates_every_review(user) -> bool:
    """Town staff hold every product's reviews for moderation; a merchant, only those of the
    products their shops offer."""
    return is_commerce_staff(user)


def oscar_dashboard_allows(user, url_name: str) -> bool:
    """May `user` open Oscar's dashboard screen `url_name` (namespace "dashboard")?"""
    if url_name in OSCAR_OPEN or is_superuser(user):
        return True
    if not _signed_in(user):
        return False
    if user.is_staff:  # Oscar would hand them every shop: its home only, for the town's staff
        return url_name in OSCAR_FOR_TOWN_STAFF and is_commerce_staff(user)
    return url_name in OSCAR_FOR_MERCHANTS and is_merchant(user)


def dashboard_menu_access(user, url_name, url_args=None, url_kwargs=None) -> bool:
    """OSCAR_DASHBOARD_DEFAULT_ACCESS_FUNCTION: Oscar's menu entries the gate would refuse
    are not shown (Oscar's own permission check still applies)."""
    from django.urls import resolve
    from oscar.apps.dashboard.nav import default_access_fn

    if url_name is None:
        return True
    match = resolve(reverse(url_name, args=url_args, kwargs=url_kwargs))
    if match.namespace == "dashboard" and not oscar_dashboard_allows(user, match.url_name):
        return False
    return default_access_fn(user, url_name, url_args, url_kwargs)


class OscarDashboardGateMiddleware:
    """Every request to one of Oscar's dashboard screens passes `oscar_dashboard_allows`
    first (signed-out: the login page; anyone else refused: 403). Oscar's own permission
    checks still run after it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or match.namespace != "dashboard":
            return None
        if oscar_dashboard_allows(request.user, match.url_name):
            return None
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("dashboard:login"))
        raise PermissionDenied


class MerchantRequiredMixin(LoginRequiredMixin):
    """Signed-in merchants only (others: 403). With a `slug` URL argument, `self.shop` is
    that shop, one of the user's own, or 404."""

    login_url = "dashboard:login"
    raise_exception = False

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not is_merchant(request.user):
            raise PermissionDenied
        self.shop = None
        if "slug" in kwargs:
            self.shop = selectors.merchant_shop_get(user=request.user, slug=kwargs["slug"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(shop=self.shop, **kwargs)


class CommerceStaffRequiredMixin(LoginRequiredMixin):
    """The town's commerce staff only (signed-out: login page; anyone else: 403)."""

    login_url = "dashboard:login"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not is_commerce_staff(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


# --- A shop's team: only its owners manage it ---------------------------------------------


def is_shop_owner(user, shop) -> bool:
    """Whether `user` may invite, remove and change the role of `shop`'s members."""
    from shops.team_selectors import shop_role

    return is_merchant(user) and shop_role(shop=shop, user=user) == "owner"


class ShopOwnerRequiredMixin(MerchantRequiredMixin):
    """Like MerchantRequiredMixin, and `self.shop` must be one the user owns (others: 403)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and is_merchant(request.user) and "slug" in kwargs:
            shop = selectors.merchant_shop_get(user=request.user, slug=kwargs["slug"])
            if not is_shop_owner(request.user, shop):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ReviewModeratorRequiredMixin(LoginRequiredMixin):
    """Merchants (their shops' products' reviews) and the town's staff (every review)."""

    login_url = "dashboard:login"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not (is_merchant(request.user) or is_commerce_staff(request.user)):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


# --- The public API: one shop's key --------------------------------------------------------


class ShopApiKeyAuthentication(authentication.BaseAuthentication):
    """`Authorization: Api-Key <key>`: the request acts for the key's shop (`request.auth`).

    No such header: not authenticated (401 where a key is needed); a key that is unknown,
    revoked or expired: 401. A key used records when (at most once a minute)."""

    keyword = "Api-Key"

    def authenticate(self, request):
        from django.contrib.auth.models import AnonymousUser

        from shops.api_key_selectors import api_key_from_header_value
        from shops.services.api_keys import api_key_used

        scheme, _space, key = (
            authentication.get_authorization_header(request)
            .decode("latin-1")
            .strip()
            .partition(" ")
        )
        if scheme.lower() != self.keyword.lower():
            return None
        found = api_key_from_header_value(key=key.strip()) if key.strip() else None
        if found is None:
            raise exceptions.AuthenticationFailed(_("Clé d'API inconnue, révoquée ou expirée."))
        api_key_used(key=found)
        return AnonymousUser(), found

    def authenticate_header(self, request) -> str:
        return self.keyword


class HasShopApiKey(permissions.BasePermission):
    """A shop's key: any to read, a `write` key to change anything (else 403)."""

    message = _("Cette clé ne permet que la lecture : créez une clé « lecture et écriture ».")

    def has_permission(self, request, view) -> bool:
        from shops.api_key_models import ShopApiKey

        if not isinstance(request.auth, ShopApiKey):
            return False
        return request.method in permissions.SAFE_METHODS or request.auth.can_write
