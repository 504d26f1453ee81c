"""The staff's delivery board under /dashboard/livraison/: the slots and their load, the rounds
and their progress, reassigning a round or a stop, a printable round sheet, the failed
deliveries to re-plan and the dispatch alerts. The town's commerce staff only.

The views run no query of their own: they read through `delivery.round_selectors` and
write through `delivery.rounds` / `delivery.dispatch` (tests/unit/test_house.py checks it)."""

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from delivery import dispatch, round_selectors, rounds
from delivery.board.forms import WEEKDAYS, CourierAddForm, CourierEditForm
from delivery.models import Courier
from shops.access import CommerceStaffRequiredMixin


class BoardView(CommerceStaffRequiredMixin, TemplateView):
    template_name = "digitaix/dashboard/delivery/board.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            slots=round_selectors.board_slots(),
            past_slots=round_selectors.board_slots(past=True),
            failed=round_selectors.failed_deliveries(),
            alerts=round_selectors.open_alerts(),
            couriers=round_selectors.couriers_active(),
            now=timezone.now(),
            **kwargs,
        )


class RoundSheetView(CommerceStaffRequiredMixin, TemplateView):
    """A round stop by stop, printable (print stylesheet), with the stops' reassignment."""

    template_name = "digitaix/dashboard/delivery/round_sheet.html"

    def get_context_data(self, **kwargs):
        round_ = round_selectors.round_sheet(round_id=self.kwargs["pk"])
        return super().get_context_data(
            round=round_,
            other_rounds=round_selectors.round_sheet_other_rounds(round_=round_),
            **kwargs,
        )


class BoardActionView(CommerceStaffRequiredMixin, View):
    """POST actions of the board; each calls one service, reports, and redirects back."""

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action", "")
        try:
            done = self._act(action, request.POST)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        except ObjectDoesNotExist:
            messages.error(request, _("Cet élément n'existe plus : rien n'a été changé."))
        else:
            messages.success(request, done)
        back, board = request.POST.get("next", ""), reverse("delivery-board:index")
        return redirect(back if back.startswith(board) else board)

    def _act(self, action: str, data) -> str:
        if action == "build":
            slot = round_selectors.delivery_slot_get(slot_id=_int(data, "slot"))
            result = dispatch.rounds_build(slot=slot)
            if result.skipped:
                raise ValidationError(_("Le créneau n'a pas encore atteint son heure limite."))
            return _("%(n)d tournée(s) construite(s).") % {"n": len(result.rounds)}
        if action == "reassign":
            courier = round_selectors.courier_active_get(courier_id=_int(data, "courier"))
            rounds.round_reassign(round_id=_int(data, "round"), courier=courier)
            return _("Tournée confiée à %(courier)s.") % {"courier": courier}
        if action == "move":
            rounds.stop_move(stop_id=_int(data, "stop"), to_round_id=_int(data, "to_round"))
            return _("Arrêt déplacé.")
        if action == "replan":
            rounds.stop_replan(stop_id=_int(data, "stop"))
            return _("Livraison replanifiée au prochain créneau.")
        if action == "resolve":
            alert = round_selectors.dispatch_alert_get(alert_id=_int(data, "alert"))
            rounds.dispatch_alert_resolve(alert=alert)
            return _("Alerte marquée traitée.")
        raise ValidationError(_("Action inconnue."))


def _int(data, name: str) -> int:
    try:
        return int(data.get(name, ""))
    except ValueError:
        raise ValidationError(_("Requête incomplète : rien n'a été changé.")) from None


class CouriersView(CommerceStaffRequiredMixin, TemplateView):
    """The couriers, and the form to add one."""

    template_name = "digitaix/dashboard/delivery/couriers.html"

    def get_context_data(self, form=None, **kwargs):
        return super().get_context_data(
            couriers=round_selectors.couriers_all(),
            form=form or CourierAddForm(),
            weekdays=WEEKDAYS,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        form = CourierAddForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        data = form.cleaned_data
        courier = rounds.courier_register(
            email=data["email"], first_name=data["first_name"], last_name=data["last_name"],
            capacity=data["capacity"], working_days=data["working_days"],
        )  # fmt: skip
        messages.success(request, _("%(courier)s est livreur.") % {"courier": courier})
        return redirect("delivery-board:couriers")


class CourierEditView(CommerceStaffRequiredMixin, TemplateView):
    template_name = "digitaix/dashboard/delivery/courier_edit.html"

    def get_courier(self) -> Courier:
        return round_selectors.courier_get(courier_id=self.kwargs["pk"])

    def get_context_data(self, form=None, **kwargs):
        courier = self.get_courier()
        initial = {
            "capacity": courier.capacity,
            "working_days": list(courier.working_days),
            "is_active": courier.is_active,
        }
        return super().get_context_data(
            courier=courier, form=form or CourierEditForm(initial=initial), **kwargs
        )

    def post(self, request, *args, **kwargs):
        courier = self.get_courier()
        form = CourierEditForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        rounds.courier_update(courier=courier, **form.cleaned_data)
        messages.success(
            request, _("%(courier)s : modifications enregistrées.") % {"courier": courier}
        )
        return redirect("delivery-board:couriers")
