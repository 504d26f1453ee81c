"""Who may open the merchant and moderation screens.

Merchants are Oscar's partner users: they hold `partner.dashboard_access` and belong to one or
more shops (`Partner.users`). A suspended or pending shop's merchant keeps their access: only the
public pages hide the shop. The town's commerce staff hold `partner.moderate_shops` through the
COMMERCE_STAFF_GROUP group; they need not be superusers.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied

from shops import selectors

MERCHANT_PERMISSION = "partner.dashboard_access"
MODERATION_PERMISSION = "partner.moderate_shops"


def is_merchant(user) -> bool:
    return user.is_authenticated and user.is_active and user.has_perm(MERCHANT_PERMISSION)


def is_commerce_staff(user) -> bool:
    return user.is_authenticated and user.is_active and user.has_perm(MODERATION_PERMISSION)


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
