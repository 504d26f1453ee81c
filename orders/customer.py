"""Oscar's account pages for a resident's orders, shop by shop.

Loaded in place of Oscar's `customer.views` classes of the same names (settings
DIGITAIX_CLASS_OVERRIDES): the order page shows each shop's part with its own status, slot and
lines; the history lists each order's shops and their statuses. Only the resident's own
orders (orders.selectors: 404 for anybody else's). The login-or-register page is accounts'
(rate-limited sign-up), handed to Oscar from here as this module overrides `customer.views`.
"""

from django.utils.translation import gettext as _
from oscar.apps.customer import views as oscar_views

from accounts.views import (  # noqa: F401 - Oscar's sign-up pages, throttled
    AccountAuthView,
    AccountRegistrationView,
    LogoutView,
)
from orders import selectors
from orders.fulfilment import fulfilment_provider
from orders.models import ShopOrder


class OrderHistoryView(oscar_views.OrderHistoryView):
    def get_queryset(self):
        # Oscar's search form (number, dates) narrows the resident's own orders.
        own = selectors.customer_orders(user=self.request.user)
        if self.form.is_bound and self.form.is_valid():
            return own.filter(**self.form.get_filters())
        return own


class OrderDetailView(oscar_views.OrderDetailView):
    def get_object(self, queryset=None):
        order = selectors.customer_order_get(
            user=self.request.user, number=self.kwargs["order_number"]
        )
        delivered = [
            so for so in order.shop_orders.all() if so.fulfilment == ShopOrder.Fulfilment.DELIVERY
        ]
        if delivered:  # where each delivery stands in the couriers' rounds: one query
            progress = fulfilment_provider().delivery_progress_many(shop_orders=delivered)
            for shop_order in delivered:
                shop_order.delivery_progress = progress.get(shop_order.pk, "")
        return order

    def get_page_title(self):
        return _("Commande %(number)s") % {"number": self.object.number}
