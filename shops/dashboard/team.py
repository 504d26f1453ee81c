"""A shop's team: the accounts that run it, added by e-mail and removed by its members.

Both screens go through MerchantRequiredMixin: `self.shop` is one of the user's own shops,
and the member to remove is looked up among that shop's team only (404 otherwise).
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, View

from catalog.fields import EmailField
from shops import selectors
from shops.access import MerchantRequiredMixin
from shops.services import shop_member_add, shop_member_remove


class TeamMemberAddForm(forms.Form):
    email = EmailField(
        label=gettext_lazy("Adresse e-mail"),
        help_text=gettext_lazy(
            "Sans compte sur le portail, la personne reçoit un e-mail "
            "pour choisir son mot de passe."
        ),
        error_messages={"invalid": gettext_lazy("Saisissez une adresse e-mail valide.")},
    )


class ShopTeamView(MerchantRequiredMixin, FormView):
    template_name = "digitaix/dashboard/team/team.html"
    form_class = TeamMemberAddForm

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["members"] = list(selectors.shop_members(shop=self.shop))
        ctx["page_title"] = _("Équipe")
        return ctx

    def form_valid(self, form):
        try:
            user, created = shop_member_add(shop=self.shop, email=form.cleaned_data["email"])
        except ValidationError as error:
            form.add_error("email", error)
            return self.form_invalid(form)
        if created:
            text = _(
                "Un compte est créé pour %(email)s : "
                "un e-mail lui permet de choisir son mot de passe."
            )
        else:
            text = _("%(email)s fait maintenant partie de l'équipe.")
        messages.success(self.request, text % {"email": user.email})
        return redirect("merchant:team", slug=self.shop.code)


class TeamMemberRemoveView(MerchantRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        member = selectors.shop_member_get(shop=self.shop, pk=kwargs["pk"])
        try:
            shop_member_remove(shop=self.shop, user=member)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("merchant:team", slug=self.shop.code)
        messages.success(
            request,
            _("%(email)s ne fait plus partie de l'équipe de « %(shop)s ».")
            % {"email": member.email, "shop": self.shop.name},
        )
        if member.pk != request.user.pk:
            return redirect("merchant:team", slug=self.shop.code)
        # Someone who left the team no longer sees it: back to their other shops, or home.
        has_shops = selectors.shops_of_user(request.user).exists()
        return redirect("merchant:shops" if has_shops else "home")
