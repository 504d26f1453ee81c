"""The merchant's hours page: the week as one grid saved once, and the exceptional closures.

Every view goes through MerchantRequiredMixin (one of the user's shops, else 404). The grid
posts to `merchant:hours`; a closure is added on `merchant:closures` (which shows the same
page, so a refused closure comes back with its errors) and removed on
`merchant:closure-remove`.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView
from oscar.core.loading import get_model

from shops import hours_selectors
from shops.access import MerchantRequiredMixin
from shops.dashboard.hours_forms import ClosureForm, week_forms
from shops.hours import local_now
from shops.services.hours import shop_closure_add, shop_closure_remove, shop_week_hours_set

ClosingPeriod = get_model("partner", "ClosingPeriod")


class _HoursPageMixin(MerchantRequiredMixin):
    template_name = "digitaix/dashboard/shops/shop_hours.html"

    def page(self, *, days=None, closure_form=None, status: int = 200):
        today = local_now().date()
        if days is None:
            days = week_forms(week=hours_selectors.shop_week_spans(shop=self.shop))
        context = self.get_context_data(
            days=days,
            days_invalid=any(day.errors for day in days),
            closure_form=closure_form or ClosureForm(),
            closures=hours_selectors.shop_closures_upcoming(shop=self.shop, today=today),
            today=today,
        )
        return self.render_to_response(context, status=status)


class ShopHoursView(_HoursPageMixin, TemplateView):
    def get(self, request, *args, **kwargs):
        return self.page()

    def post(self, request, *args, **kwargs):
        days = week_forms(request.POST)
        if not all(day.is_valid() for day in days):
            return self.page(days=days)
        shop_week_hours_set(shop=self.shop, week={day.weekday: day.spans() for day in days})
        messages.success(request, _("Les horaires de la semaine sont enregistrés."))
        return redirect("merchant:hours", slug=self.shop.code)


class ShopClosuresView(_HoursPageMixin, TemplateView):
    def get(self, request, *args, **kwargs):
        return self.page()

    def post(self, request, *args, **kwargs):
        form = ClosureForm(request.POST)
        if form.is_valid():
            try:
                shop_closure_add(shop=self.shop, today=local_now().date(), **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
        if not form.is_valid():
            return self.page(closure_form=form)
        messages.success(request, _("La fermeture exceptionnelle est enregistrée."))
        return redirect(_closures_url(self.shop))


class ShopClosureRemoveView(MerchantRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            shop_closure_remove(shop=self.shop, closure_id=kwargs["pk"])
        except ClosingPeriod.DoesNotExist:
            raise Http404 from None
        messages.success(request, _("La fermeture exceptionnelle est supprimée."))
        return redirect(_closures_url(self.shop))


def _closures_url(shop) -> str:
    return reverse("merchant:hours", kwargs={"slug": shop.code}) + "#fermetures"
