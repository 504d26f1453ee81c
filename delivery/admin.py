"""The town staff manage delivery zones and watch slots in Django's admin for now."""

from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from delivery.models import Courier, DeliveryZone, DeliveryZonePostcode, Slot, SlotBooking


class DeliveryZonePostcodeInline(admin.TabularInline):
    model = DeliveryZonePostcode
    extra = 1
    verbose_name = _("Code postal desservi")
    verbose_name_plural = _("Codes postaux desservis")


@admin.register(DeliveryZone)
class DeliveryZoneAdmin(admin.ModelAdmin):
    list_display = ("name", "is_active", "fee", "minimum_order", "postcode_list")
    list_filter = ("is_active",)
    search_fields = ("name", "postcodes__postcode")
    inlines = (DeliveryZonePostcodeInline,)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        """Amounts typed the French way ("4,90") as well as "4.90"."""
        if isinstance(db_field, models.DecimalField):
            kwargs["localize"] = True
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("postcodes")

    @admin.display(description=_("Codes postaux"))
    def postcode_list(self, zone: DeliveryZone) -> str:
        return ", ".join(p.postcode for p in zone.postcodes.all())


class SlotBookingInline(admin.TabularInline):
    """Bookings are made and released by the checkout only (they keep `booked` right)."""

    model = SlotBooking
    extra = 0
    can_delete = False
    fields = ("reference", "created_at")
    readonly_fields = ("reference", "created_at")
    verbose_name = _("Réservation")
    verbose_name_plural = _("Réservations")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Slot)
class SlotAdmin(admin.ModelAdmin):
    """Staff may raise or lower a slot's capacity; `booked` is the checkout's to keep."""

    list_display = ("start", "end", "kind", "shop", "booked", "capacity")
    list_filter = ("kind",)
    list_select_related = ("shop",)
    search_fields = ("shop__name", "bookings__reference")
    date_hierarchy = "start"
    readonly_fields = ("kind", "shop", "start", "end", "booked")
    inlines = (SlotBookingInline,)

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Courier)
class CourierAdmin(admin.ModelAdmin):
    """Staff add couriers here: pick the account, its capacity and working days (the account
    joins the couriers' group on save)."""

    list_display = ("__str__", "capacity", "working_days", "is_active")
    list_filter = ("is_active",)
    search_fields = ("user__email", "user__first_name", "user__last_name")
    autocomplete_fields = ("user",)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        from delivery.rounds import courier_create

        courier_create(user=obj.user, capacity=obj.capacity, working_days=obj.working_days)
