"""/comptes/verifier/: "check your mailbox" (and send the link again); the link itself."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views import View

from accounts import verification
from accounts.clientip import client_ip
from accounts.ratelimit import hit, rate
from accounts.responses import too_many_requests

User = get_user_model()

SENT = _(
    "Si cette adresse peut recevoir un lien, il vient d'y être envoyé : ouvrez-le pour "
    "confirmer votre adresse e-mail."
)


class ResendForm(forms.Form):
    email = forms.EmailField(label=_("Votre adresse e-mail"))


class CheckMailboxView(View):
    """Where every sign-up lands, new address or not (nothing tells them apart); it sends the
    link again on request, answering alike whether the address has an account or not."""

    template_name = "digitaix/accounts/check_mailbox.html"

    def get(self, request):
        return render(request, self.template_name, {"form": ResendForm()})

    def post(self, request):
        form = ResendForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form})
        if not hit(scope="verify-resend-ip", key=client_ip(request), limit=rate("signup_ip")):
            return too_many_requests(request)
        email = form.cleaned_data["email"]
        for user in User.objects.filter(email__iexact=email.strip(), is_active=True)[:1]:
            if not verification.email_is_verified(user):
                verification.verification_message_add(user=user)
        messages.info(request, SENT)
        return redirect("accounts:check-mailbox")


class VerifyEmailView(View):
    def get(self, request, token):
        user = verification.email_verify(token=token)
        if user is None:
            context = {"form": ResendForm()}
            return render(request, "digitaix/accounts/verify_failed.html", context, status=400)
        messages.success(request, _("Merci : votre adresse e-mail est confirmée."))
        if request.user.is_authenticated and request.user.pk == user.pk:
            return redirect("space:landing")
        return redirect("customer:login")
