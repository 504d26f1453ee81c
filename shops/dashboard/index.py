"""The dashboard home: Oscar's figures for staff, the onboarding checklist for merchants."""

from oscar.apps.dashboard.views import IndexView as OscarIndexView

from shops import selectors
from shops.access import is_commerce_staff, is_merchant
from shops.onboarding import shop_checklist


class IndexView(OscarIndexView):
    """Merchants (not staff) see, for each of their shops, what is left to do to open it.

    Oscar's figures are the whole site's (or a partner's orders): town staff keep them, merchants
    get their shops' checklists instead, in a constant number of queries.
    """

    def _merchant_home(self) -> bool:
        user = self.request.user
        return is_merchant(user) and not is_commerce_staff(user)

    def get_template_names(self):
        if self._merchant_home():
            return ["digitaix/dashboard/index_merchant.html"]
        return super().get_template_names()

    def get_context_data(self, **kwargs):
        if not self._merchant_home():
            return super().get_context_data(**kwargs)
        ctx = super(OscarIndexView, self).get_context_data(**kwargs)
        shops = list(selectors.merchant_shops_onboarding(user=self.request.user))
        ctx["shop_checklists"] = [
            {
                "shop": shop,
                "items": (items := shop_checklist(shop)),
                "done": sum(item.done for item in items),
            }
            for shop in shops
        ]
        return ctx
