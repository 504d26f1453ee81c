"""Placeholder: Oscar's order screens, limited to a merchant's own lines and totals."""

from oscar.apps.dashboard.orders import views as oscar_views


class OrderDetailView(oscar_views.OrderDetailView):
    pass
