"""Oscar's order screens, limited for a merchant to their own shops' lines and share.

Oscar lets a partner user open any order that holds one of their lines, then shows (and lets
them act on) the whole of it: other shops' lines, the order's totals, payments, discounts,
notes; its line actions trust the posted line ids of the whole order. Here a merchant (a
user who is not a superuser) sees only their lines and their share, may act on their lines only (any
other line id: 404, nothing changes), and may not change what concerns the whole order (its
status, payments, address: 403). Superusers keep Oscar's full screens; the town's staff never
reach them (shops/access.py). The limited queries live
in orders.selectors.
"""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from oscar.apps.dashboard.orders import views as oscar_views

from catalog.spreadsheet import SafeCSVWriter
from orders import selectors
from shops import access

CENT = Decimal("0.01")
MERCHANT_ORDER_ACTIONS = ("save_note", "delete_note")


def _is_merchant(user) -> bool:
    """Superusers see every order, anyone else the gate lets in (merchants) their lines."""
    return not access.sees_every_shop(user)


class OrderListView(oscar_views.OrderListView):
    """Oscar's list; a merchant's orders show their share (total and items)."""

    def get(self, request, *args, **kwargs):
        self._limit_to_merchant()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self._limit_to_merchant()
        if _is_merchant(request.user) and request.POST.get("action") == "change_order_statuses":
            raise PermissionDenied  # an order's status concerns every shop in it
        return super().post(request, *args, **kwargs)

    def get_selected_ids(self, request):
        """Oscar filters on the posted row ids as they come: a non-number was a 500."""
        posted = request.POST.getlist(f"selected_{self.get_checkbox_object_name()}")
        if not all(value.isdigit() for value in posted):
            return []  # Oscar then says that no order is selected
        return super().get_selected_ids(request)

    def _limit_to_merchant(self) -> None:
        if _is_merchant(self.request.user):
            self.base_queryset = selectors.merchant_orders_with_share(
                user=self.request.user
            ).order_by("-date_placed")

    def get_queryset(self):
        queryset = super().get_queryset()
        if _is_merchant(self.request.user) and self.request.GET.get("sort") == "total_incl_tax":
            descending = self.request.GET.get("dir") == "desc"
            queryset = queryset.order_by(("-" if descending else "") + "shop_total_incl_tax")
        return queryset

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["merchant_view"] = _is_merchant(self.request.user)
        return ctx

    def download_selected_orders(self, request, orders):
        """Oscar's export, through a writer that keeps names from running as formulas."""
        response = HttpResponse(content_type="text/csv")
        filename = self.get_download_filename(request)
        response["Content-Disposition"] = f"attachment; filename={filename}"
        writer = SafeCSVWriter(open_file=response)
        writer.writerow(self.CSV_COLUMNS.values())
        for order in orders:
            row_values = self.get_row_values(order)
            writer.writerow([row_values.get(column, "") for column in self.CSV_COLUMNS])
        return response

    def get_row_values(self, order):
        row = super().get_row_values(order)
        if _is_merchant(self.request.user):
            # SQLite returns the sum unrounded (10.1500000000000): the CSV shows cents.
            row["value"] = order.shop_total_incl_tax.quantize(CENT)
            row["num_items"] = order.shop_num_items
        return row


class OrderStatsView(oscar_views.OrderStatsView):
    """Oscar's statistics; a merchant's are counted on their own lines."""

    def get_stats(self, filters):
        user = self.request.user
        if not _is_merchant(user):
            return super().get_stats(filters)
        orders = selectors.merchant_orders(user=user).filter(**filters)
        stats = selectors.merchant_order_stats(user=user, orders=orders)
        stats["order_status_breakdown"] = (
            orders.order_by("status").values("status").annotate(freq=Count("id"))
        )
        return stats


class OrderDetailView(oscar_views.OrderDetailView):
    """Oscar's order page; a merchant sees and acts on their own lines only."""

    def get_object(self, queryset=None):
        user = self.request.user
        if _is_merchant(user):
            return selectors.merchant_order_get(user=user, number=self.kwargs["number"])
        return super().get_object(queryset)

    def get_order_lines(self):
        if _is_merchant(self.request.user):
            return selectors.merchant_order_lines(user=self.request.user, order=self.object)
        return self.object.lines.select_related("product", "partner").order_by("pk")

    def handle_order_action(self, request, order, action):
        if _is_merchant(request.user) and action not in MERCHANT_ORDER_ACTIONS:
            raise PermissionDenied  # the order's status and payments concern every shop
        return super().handle_order_action(request, order, action)

    def handle_line_action(self, request, order, action):
        """Refuse any line id that is not one of the lines shown on the page."""
        try:
            line_ids = {int(pk) for pk in request.POST.getlist("selected_line")}
        except ValueError:
            raise Http404 from None
        if line_ids - set(self.get_order_lines().values_list("pk", flat=True)):
            raise Http404  # another shop's line, or no line at all
        if any(f"selected_line_qty_{pk}" not in request.POST for pk in line_ids):
            return self.reload_page(error=_("Indiquez une quantité pour chaque ligne choisie."))
        return super().handle_line_action(request, order, action)

    def get_order_note_form(self):
        note_id = self.kwargs.get("note_id")
        if note_id and _is_merchant(self.request.user):
            get_object_or_404(self._visible_notes(), pk=note_id)
        return super().get_order_note_form()

    def delete_note(self, request, order):
        if _is_merchant(request.user):
            note_id = request.POST.get("note_id", "")
            if not note_id.isdigit() or not self._visible_notes().filter(pk=note_id).exists():
                messages.error(request, _("Cette note ne peut pas être supprimée."))
                return self.reload_page()
        return super().delete_note(request, order)

    def _visible_notes(self):
        return selectors.merchant_order_notes(user=self.request.user, order=self.object)

    def get_payment_transactions(self):
        if _is_merchant(self.request.user):
            return []
        return super().get_payment_transactions()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["merchant_view"] = _is_merchant(user)
        if not ctx["merchant_view"]:
            return ctx
        lines = ctx["lines"] = list(ctx["lines"])
        ctx["shop_total_incl_tax"] = sum(line.line_price_incl_tax for line in lines)
        ctx["shop_total_excl_tax"] = sum(line.line_price_excl_tax for line in lines)
        ctx["shop_notes"] = self._visible_notes()
        ctx["shop_shipping_events"] = selectors.merchant_shipping_events(
            user=user, order=self.object
        )
        ctx["shop_payment_events"] = selectors.merchant_payment_events(user=user, order=self.object)
        ctx["shop_shares"] = selectors.merchant_order_shares(user=user, order=self.object)
        return ctx


class LineDetailView(oscar_views.LineDetailView):
    """Oscar's line page; a merchant opens their own shops' lines only (404 otherwise)."""

    def get_object(self, queryset=None):
        user = self.request.user
        if not _is_merchant(user):
            return super().get_object(queryset)
        order = selectors.merchant_order_get(user=user, number=self.kwargs["number"])
        return selectors.merchant_order_line_get(
            user=user, order=order, line_id=self.kwargs["line_id"]
        )


class ShippingAddressUpdateView(oscar_views.ShippingAddressUpdateView):
    """The delivery address is the whole order's: staff change it, merchants may not."""

    def dispatch(self, request, *args, **kwargs):
        if _is_merchant(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
