"""Account pages: password reset and residents' sign-up, rate-limited; sign-up verified by
e-mail and silent about registered addresses; logout by POST only."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy
from oscar.apps.customer import views as oscar_views
from oscar.apps.customer.signals import user_registered
from oscar.apps.customer.utils import normalise_email
from oscar.core.loading import get_class
from oscar.views.decorators import login_forbidden

from accounts import throttles, verification
from accounts.responses import too_many_requests

PasswordResetForm = get_class("customer.forms", "PasswordResetForm")
User = get_user_model()


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


EmailUserCreationForm = get_class("customer.forms", "EmailUserCreationForm")
CHECK_MAILBOX = gettext_lazy(
    "Merci ! Ouvrez le lien que nous venons de vous envoyer par e-mail pour confirmer votre "
    "adresse. Vous pouvez vous connecter et commander dès maintenant."
)


class RegistrationForm(EmailUserCreationForm):
    def clean_email(self):
        # Oscar refuses a registered address, which tells anyone it has an account; the
        # sign-up e-mails its owner instead (RegistrationMixin).
        return normalise_email(self.cleaned_data["email"])


class RegistrationMixin:
    """Residents' sign-up (both of Oscar's pages): counted against the address's limit
    (settings.DIGITAIX_RATE_LIMITS["signup_ip"]); a new address gets its account and the
    verification link, a registered one only an e-mail to its owner; both answer alike
    ("check your mailbox", nobody signed in)."""

    def register_user(self, form):
        owner = User.objects.filter(email__iexact=form.cleaned_data["email"]).first()
        if owner is not None:
            verification.account_exists_message_add(user=owner)
            return None
        user = form.save()
        user_registered.send_robust(sender=self, request=self.request, user=user)
        if getattr(settings, "OSCAR_SEND_REGISTRATION_EMAIL", True):
            self.send_registration_email(user)
        verification.verification_message_add(user=user)
        return user


class AccountAuthView(RegistrationMixin, oscar_views.AccountAuthView):
    registration_form_class = RegistrationForm

    def validate_registration_form(self):
        form = self.get_registration_form(bind_data=True)
        if form.is_valid() and not throttles.signup_allowed(self.request):
            return too_many_requests(self.request, message=throttles.SIGNUP_REFUSED)
        return super().validate_registration_form()

    def get_registration_success_message(self, form):
        return CHECK_MAILBOX

    def get_registration_success_url(self, form):
        return reverse("accounts:check-mailbox")


class AccountRegistrationView(RegistrationMixin, oscar_views.AccountRegistrationView):
    form_class = RegistrationForm

    def form_valid(self, form):
        if not throttles.signup_allowed(self.request):
            return too_many_requests(self.request, message=throttles.SIGNUP_REFUSED)
        self.register_user(form)
        messages.success(self.request, CHECK_MAILBOX)
        return redirect("accounts:check-mailbox")


class LogoutView(oscar_views.LogoutView):
    """Oscar's /accounts/logout/ signed out on GET: any page could sign a visitor out with an
    image. Only a POST (CSRF-checked, the header's button) signs out now; GET answers 405."""

    http_method_names = ["post", "options"]

    def post(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
