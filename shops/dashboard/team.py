"""A shop's team: its members and their roles, and the invitations its owners sent.

Every member sees the team; only owners invite, remove others and change roles (403 for the
rest, the services refuse it too); anyone may leave, except the last owner. Each screen goes
through MerchantRequiredMixin: `self.shop` is one of the user's own shops, and the member or
invitation named is looked up among that shop's only (404 otherwise).
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, View
from oscar.core.loading import get_model

from accounts import throttles
from accounts.responses import too_many_requests
from catalog.fields import EmailField
from shops import selectors, team_selectors
from shops.access import MerchantRequiredMixin, ShopOwnerRequiredMixin, is_shop_owner
from shops.services import (
    shop_member_remove,
    shop_member_role_set,
    team_invitation_close,
    team_invitation_create,
    team_invitation_renew,
)

TeamMembership = get_model("partner", "TeamMembership")


class TeamInviteForm(forms.Form):
    email = EmailField(
        label=gettext_lazy("Adresse e-mail"),
        help_text=gettext_lazy(
            "La personne reçoit une invitation à accepter ; "
            "sans compte, elle choisit son mot de passe en l'acceptant."
        ),
        error_messages={"invalid": gettext_lazy("Saisissez une adresse e-mail valide.")},
    )


class ShopTeamView(MerchantRequiredMixin, FormView):
    template_name = "digitaix/dashboard/team/team.html"
    form_class = TeamInviteForm

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["members"] = list(team_selectors.shop_memberships(shop=self.shop))
        ctx["owners"] = sum(m.role == TeamMembership.Role.OWNER for m in ctx["members"])
        ctx["is_owner"] = is_shop_owner(self.request.user, self.shop)
        if ctx["is_owner"]:
            ctx["invitations"] = list(team_selectors.shop_invitations_pending(shop=self.shop))
        ctx["page_title"] = _("Équipe")
        return ctx

    def post(self, request, *args, **kwargs):
        if not is_shop_owner(request.user, self.shop):
            raise PermissionDenied  # members see the team; only owners invite
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        if not throttles.invitation_allowed(shop_id=self.shop.pk, email=email):
            return too_many_requests(self.request, message=throttles.INVITATION_REFUSED)
        try:
            team_invitation_create(shop=self.shop, email=email, by=self.request.user)
        except ValidationError as error:
            form.add_error("email", error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Invitation envoyée à %(email)s : rien ne change avant qu'elle l'accepte.")
            % {"email": email},
        )
        return redirect("merchant:team", slug=self.shop.code)


class _TeamActionView(View):
    """A POST on the team page: call the service, show its refusal or `done`, back to the team."""

    http_method_names = ["post"]

    def act(self, request, **kwargs) -> str:
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        try:
            done = self.act(request, **kwargs)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("merchant:team", slug=self.shop.code)
        messages.success(request, done)
        return self.after(request)

    def after(self, request):
        return redirect("merchant:team", slug=self.shop.code)


class TeamMemberRemoveView(MerchantRequiredMixin, _TeamActionView):
    """An owner removes a member; a member (an owner too, not the last) leaves."""

    def act(self, request, **kwargs) -> str:
        self.member = team_selectors.shop_member_get(shop=self.shop, pk=kwargs["pk"])
        shop_member_remove(shop=self.shop, user=self.member, by=request.user)
        return _("%(email)s ne fait plus partie de l'équipe de « %(shop)s ».") % {
            "email": self.member.email,
            "shop": self.shop.name,
        }

    def after(self, request):
        if self.member.pk != request.user.pk:
            return super().after(request)
        # Someone who left the team no longer sees it: back to their other shops, or home.
        has_shops = selectors.shops_of_user(request.user).exists()
        return redirect("space:merchant-home" if has_shops else "home")


class TeamMemberRoleView(ShopOwnerRequiredMixin, _TeamActionView):
    def act(self, request, **kwargs) -> str:
        member = team_selectors.shop_member_get(shop=self.shop, pk=kwargs["pk"])
        role = request.POST.get("role", "")
        if role not in TeamMembership.Role.values:
            raise ValidationError(_("Rôle inconnu."), code="role_unknown")
        shop_member_role_set(shop=self.shop, user=member, role=role, by=request.user)
        return _("%(email)s est maintenant « %(role)s ».") % {
            "email": member.email,
            "role": TeamMembership.Role(role).label,
        }


class TeamInvitationRenewView(ShopOwnerRequiredMixin, _TeamActionView):
    def post(self, request, *args, **kwargs):
        invitation = team_selectors.shop_invitation_get(shop=self.shop, pk=kwargs["pk"])
        if not throttles.invitation_allowed(shop_id=self.shop.pk, email=invitation.email):
            return too_many_requests(request, message=throttles.INVITATION_REFUSED)
        return super().post(request, *args, **kwargs)

    def act(self, request, **kwargs) -> str:
        invitation = team_selectors.shop_invitation_get(shop=self.shop, pk=kwargs["pk"])
        team_invitation_renew(invitation=invitation, by=request.user)
        return _("Un nouveau lien est envoyé à %(email)s ; l'ancien ne fonctionne plus.") % {
            "email": invitation.email
        }


class TeamInvitationCancelView(ShopOwnerRequiredMixin, _TeamActionView):
    def act(self, request, **kwargs) -> str:
        invitation = team_selectors.shop_invitation_get(shop=self.shop, pk=kwargs["pk"])
        team_invitation_close(invitation=invitation, by=request.user)
        return _("L'invitation de %(email)s est annulée.") % {"email": invitation.email}
