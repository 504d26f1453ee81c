from django.contrib import admin
from oscar.apps.order.admin import *

from orders.models import (
    OrderPayment,
    ShopOrder,
    ShopOrderEvent,
    ShopPayout,
    ShopRefund,
    StripeEvent,
)


class ShopOrderEventInline(admin.TabularInline):
    model = ShopOrderEvent
    extra = 0
    can_delete = False
    readonly_fields = ("created_at", "from_status", "to_status", "actor", "reason")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ShopOrder)
class ShopOrderAdmin(admin.ModelAdmin):
    """Read only: a shop order moves through `orders.services`, never by hand here."""

    list_display = ("number", "shop", "fulfilment", "status", "total", "is_paid", "created_at")
    list_filter = ("status", "fulfilment", "is_paid")
    search_fields = ("number", "shop__name", "order__number")
    list_select_related = ("shop",)
    inlines = [ShopOrderEventInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class _ReadOnlyAdmin(admin.ModelAdmin):
    """Money records are written by `orders.payments.services` only; staff read them here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OrderPayment)
class OrderPaymentAdmin(_ReadOnlyAdmin):
    list_display = ("order", "method", "status", "amount_cents", "created_at", "paid_at")
    list_filter = ("status", "method")
    search_fields = ("order__number", "session_id", "payment_intent_id")
    list_select_related = ("order",)


@admin.register(ShopPayout)
class ShopPayoutAdmin(_ReadOnlyAdmin):
    list_display = ("shop_order", "amount", "commission", "status", "transfer_id", "created_at")
    list_filter = ("status",)
    search_fields = ("shop_order__number", "transfer_id")
    list_select_related = ("shop_order",)


@admin.register(ShopRefund)
class ShopRefundAdmin(_ReadOnlyAdmin):
    list_display = ("shop_order", "amount", "status", "refund_id", "created_at")
    list_filter = ("status",)
    search_fields = ("shop_order__number", "refund_id")
    list_select_related = ("shop_order",)


@admin.register(StripeEvent)
class StripeEventAdmin(_ReadOnlyAdmin):
    list_display = ("event_id", "type", "created", "received_at", "processed_at")
    list_filter = ("type",)
    search_fields = ("event_id",)
