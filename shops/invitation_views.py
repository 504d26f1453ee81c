"""/invitation-equipe/<token>/: the invitee's answer to an invitation to join a shop's team.

Whoever holds the link sees which shop invites them; the page says plainly when the link is
unknown, already answered or expired (nothing is granted then). An account with a password
accepts once signed in as that account; an address with no account, or an account with no
password yet, chooses its password here and is signed in.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from shops.services import (
    team_invitation_accept,
    team_invitation_accept_with_password,
    team_invitation_close,
)
from shops.services.invitations import account_for
from shops.team_selectors import invitation_by_token

# The e-mail backend the login uses (accounts/), so the session stays valid.
LOGIN_BACKEND = "accounts.backends.EmailBackend"
# state -> HTTP status of the page: the link leads nowhere, or to someone else's invitation.
STATE_STATUS = {"unknown": 404, "answered": 410, "expired": 410, "inactive": 403, "other": 403}


class InvitationPasswordForm(forms.Form):
    password1 = forms.CharField(
        label=gettext_lazy("Mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=gettext_lazy("Confirmez le mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("Les deux mots de passe ne correspondent pas."))
        return data


class TeamInvitationView(View):
    template_name = "digitaix/team_invitation.html"

    def dispatch(self, request, *args, **kwargs):
        self.invitation = invitation_by_token(kwargs["token"])
        return super().dispatch(request, *args, **kwargs)

    def state(self) -> str:
        invitation = self.invitation
        if invitation is None:
            return "unknown"
        if invitation.status != invitation.Status.PENDING:
            return "answered"
        if invitation.is_expired:
            return "expired"
        account = account_for(invitation.email)
        if account is not None and not account.is_active:
            return "inactive"
        if account is None or not account.has_usable_password():
            return "password"
        if not self.request.user.is_authenticated:
            return "sign_in"
        return "accept" if self.request.user.pk == account.pk else "other"

    def get(self, request, *args, **kwargs):
        return self.render_state(form=InvitationPasswordForm())

    def post(self, request, *args, **kwargs):
        state, action = self.state(), request.POST.get("action")
        form = InvitationPasswordForm(request.POST if state == "password" else None)
        if state not in {"password", "sign_in", "accept"}:
            return self.render_state(form=form)
        try:
            if action == "decline":
                team_invitation_close(invitation=self.invitation)
                messages.info(request, _("Vous avez décliné l'invitation."))
                return redirect("home")
            if action == "accept" and state == "accept":
                team_invitation_accept(invitation=self.invitation, user=request.user)
                return self.joined(request.user)
            if action == "accept" and state == "password" and form.is_valid():
                user = team_invitation_accept_with_password(
                    invitation=self.invitation, password=form.cleaned_data["password1"]
                )
                login(request, user, backend=LOGIN_BACKEND)
                return self.joined(user)
        except ValidationError as error:
            form.add_error(None, error.messages)
        return self.render_state(form=form)

    def joined(self, user):
        shop = self.invitation.shop
        messages.success(
            self.request,
            _("Bienvenue dans l'équipe de « %(shop)s ».") % {"shop": shop.name},
        )
        return redirect("merchant:profile", slug=shop.code)

    def render_state(self, *, form):
        state = self.state()
        context = {"invitation": self.invitation, "state": state, "form": form}
        if self.invitation is not None:
            context["shop_object"] = self.invitation.shop
        return render(
            self.request, self.template_name, context, status=STATE_STATUS.get(state, 200)
        )
