"""The courier's page at /livraison/, made for a phone: today's rounds, the next stop and big
buttons. A courier reaches only their own rounds (delivery.round_selectors, delivery.rounds)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from delivery import round_selectors, rounds
from delivery.models import RoundStop

DONE = {
    "picked_up": _("Colis récupérés à %(shop)s."),
    "delivered": _("Livraison enregistrée : commande %(number)s."),
    "failed": _("Échec enregistré : commande %(number)s. Le service livraison la replanifiera."),
}


class CourierRequiredMixin(LoginRequiredMixin):
    """Signed-in couriers only (others: 403)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.courier = round_selectors.courier_of(request.user)
        if self.courier is None:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class CourierHomeView(CourierRequiredMixin, TemplateView):
    template_name = "digitaix/delivery/courier.html"

    def get_context_data(self, **kwargs):
        day = round_selectors.courier_day(courier=self.courier)
        day_rounds = round_selectors.courier_rounds_of_day(courier=self.courier, day=day)
        return super().get_context_data(
            courier=self.courier,
            day=day,
            is_today=day == timezone.localdate(),
            rounds=day_rounds,
            stop=round_selectors.next_stop(day_rounds),
            failures=RoundStop.Failure.choices,
            **kwargs,
        )


class StopActionView(CourierRequiredMixin, View):
    """POST `action` = picked_up | delivered | failed (with `failure`) on one stop."""

    def post(self, request, *args, **kwargs):
        action, stop_id = request.POST.get("action"), kwargs["pk"]
        try:
            if action == "picked_up":
                stop = rounds.stop_picked_up(stop_id=stop_id, courier=self.courier)
            elif action == "delivered":
                stop = rounds.stop_delivered(stop_id=stop_id, courier=self.courier)
            elif action == "failed":
                stop = rounds.stop_failed(
                    stop_id=stop_id, courier=self.courier, failure=request.POST.get("failure", "")
                )
            else:
                raise ValidationError(_("Action inconnue."))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            number = stop.shop_order.number if stop.shop_order_id else ""
            messages.success(request, DONE[action] % {"shop": stop.shop.name, "number": number})
        return redirect("courier:home")
