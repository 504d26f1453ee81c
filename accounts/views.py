"""Account pages: password reset under rate limits, residents' sign-up under rate limits."""

from django.conf import settings
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from oscar.apps.customer import views as oscar_views
from oscar.apps.customer.signals import user_registered
from oscar.core.loading import get_class
from oscar.views.decorators import login_forbidden

from accounts import throttles
from accounts.responses import too_many_requests

PasswordResetForm = get_class("customer.forms", "PasswordResetForm")
LOGIN_BACKEND = "accounts.backends.EmailBackend"


@method_decorator(login_forbidden, name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    """Oscar's /password-reset/, at most 3 e-mails an hour to one mailbox (and a limit per
    address): over it, HTTP 429 and nothing sent. Known and unknown e-mails answer alike."""

    form_class = PasswordResetForm
    success_url = reverse_lazy("password-reset-done")
    template_name = "oscar/registration/password_reset_form.html"

    def form_valid(self, form):
        if not throttles.password_reset_allowed(self.request, email=form.cleaned_data["email"]):
            return too_many_requests(self.request, message=throttles.PASSWORD_RESET_REFUSED)
        return super().form_valid(form)


class RegistrationMixin:
    """Residents' sign-up (both of Oscar's pages): counted against the address's limit
    (settings.DIGITAIX_RATE_LIMITS["signup_ip"]), and signed in without a second
    `authenticate` (axes needs the request, which Oscar's mixin does not pass)."""

    def register_user(self, form):
        user = form.save()
        user_registered.send_robust(sender=self, request=self.request, user=user)
        if getattr(settings, "OSCAR_SEND_REGISTRATION_EMAIL", True):
            self.send_registration_email(user)
        auth_login(self.request, user, backend=LOGIN_BACKEND)
        return user


class AccountAuthView(RegistrationMixin, oscar_views.AccountAuthView):
    def validate_registration_form(self):
        form = self.get_registration_form(bind_data=True)
        if form.is_valid() and not throttles.signup_allowed(self.request):
            return too_many_requests(self.request, message=throttles.SIGNUP_REFUSED)
        return super().validate_registration_form()


class AccountRegistrationView(RegistrationMixin, oscar_views.AccountRegistrationView):
    def form_valid(self, form):
        if not throttles.signup_allowed(self.request):
            return too_many_requests(self.request, message=throttles.SIGNUP_REFUSED)
        return super().form_valid(form)


class LogoutView(oscar_views.LogoutView):
    """Oscar's /accounts/logout/ signed out on GET: any page could sign a visitor out with an
    image. Only a POST (CSRF-checked, the header's button) signs out now; GET answers 405."""

    http_method_names = ["post", "options"]

    def post(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
