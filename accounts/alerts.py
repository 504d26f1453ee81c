"""Oscar's stock alerts: a visitor types any e-mail address and Oscar mails it a
confirmation (one unconfirmed alert per mailbox, Oscar's own rule), so a visitor could mail
any number of mailboxes: alerts share the password reset's limits (per client address, per
mailbox).

Loaded in place of Oscar's `customer.alerts.views` classes of the same names
(settings.DIGITAIX_CLASS_OVERRIDES).
"""

from django.utils.translation import gettext_lazy as _
from oscar.apps.customer.alerts import views as oscar_views

from accounts import throttles
from accounts.responses import too_many_requests


class ProductAlertCreateView(oscar_views.ProductAlertCreateView):
    def form_valid(self, form):
        email = form.cleaned_data.get("email")
        if email and not throttles.stock_alert_allowed(self.request, email=email):
            return too_many_requests(self.request, message=_("Trop d'alertes demandées."))
        return super().form_valid(form)
