from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliveryConfig(AppConfig):
    name = "delivery"
    verbose_name = _("Livraison")

    def ready(self) -> None:
        from delivery.receivers import shop_order_round_leave, shop_order_slot_release
        from orders.signals import shop_order_status_changed

        shop_order_status_changed.connect(
            shop_order_slot_release, dispatch_uid="delivery-slot-release"
        )
        shop_order_status_changed.connect(
            shop_order_round_leave, dispatch_uid="delivery-round-leave"
        )
        from delivery.rounds import dispatch_alert_context
        from messaging.registry import kind_register

        kind_register("dispatch_alert", template="dispatch_alert", context=dispatch_alert_context)
