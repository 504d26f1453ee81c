from django.contrib import admin
from oscar.apps.order.admin import *

from orders.models import ShopOrder, ShopOrderEvent


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
