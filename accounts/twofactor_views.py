"""/comptes/double-authentification/: enter a code; .../configurer/: set the authenticator up."""

from base64 import b32encode

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views import View
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import twofactor
from accounts.ratelimit import Rate, hit
from accounts.responses import too_many_requests

SETUP_SESSION_KEY = "accounts_totp_setup_device"
# Codes tried per account: django-otp also slows each device down after each failure.
CODE_ATTEMPTS = Rate(count=10, window=15 * 60)


class CodeForm(forms.Form):
    token = forms.CharField(
        label=_("Code à 6 chiffres de l'application, ou un code de secours"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )


class _SecondFactorView(LoginRequiredMixin, View):
    login_url = "customer:login"

    def _next(self) -> str:
        target = self.request.POST.get("next") or self.request.GET.get("next") or ""
        if url_has_allowed_host_and_scheme(target, {self.request.get_host()}):
            return target
        return reverse("space:landing")


class SecondFactorView(_SecondFactorView):
    template_name = "digitaix/accounts/second_factor.html"

    def get(self, request):
        if not twofactor.has_second_factor(request.user):
            return redirect("accounts:setup")
        return self._render(CodeForm())

    def post(self, request):
        form = CodeForm(request.POST)
        if not form.is_valid():
            return self._render(form)
        if not hit(scope="otp", key=str(request.user.pk), limit=CODE_ATTEMPTS):
            return too_many_requests(request, message=_("Trop de codes essayés."))
        device = twofactor.second_factor_check(user=request.user, token=form.cleaned_data["token"])
        if device is None:
            form.add_error("token", _("Ce code n'est pas valable. Réessayez."))
            return self._render(form)
        otp_login(request, device)
        return redirect(self._next())

    def _render(self, form):
        return render(self.request, self.template_name, {"form": form, "next": self._next()})


class SetupView(_SecondFactorView):
    """Set up the authenticator app. With one already confirmed, only a verified session may
    replace it (a stolen password alone must not add an attacker's phone)."""

    template_name = "digitaix/accounts/second_factor_setup.html"

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and twofactor.has_second_factor(user) and not user.is_verified():
            return redirect("accounts:second-factor")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        device = twofactor.totp_device_start(user=request.user)
        request.session[SETUP_SESSION_KEY] = device.pk
        return self._render(device, CodeForm())

    def post(self, request):
        device_id = request.session.get(SETUP_SESSION_KEY)
        device = TOTPDevice.objects.filter(user=request.user, pk=device_id).first()
        form = CodeForm(request.POST)
        if device is None:
            return redirect("accounts:setup")
        if not form.is_valid():
            return self._render(device, form)
        codes = twofactor.totp_device_confirm(
            user=request.user, device_id=device.pk, token=form.cleaned_data["token"]
        )
        if codes is None:
            form.add_error("token", _("Ce code n'est pas valable. Réessayez."))
            return self._render(device, form)
        del request.session[SETUP_SESSION_KEY]
        device.refresh_from_db()
        otp_login(request, device)
        context = {"codes": codes, "next": self._next()}
        return render(request, "digitaix/accounts/recovery_codes.html", context)

    def _render(self, device, form):
        context = {
            "form": form,
            "secret": b32encode(device.bin_key).decode(),
            "config_url": device.config_url,
            "next": self._next(),
        }
        return render(self.request, self.template_name, context)
