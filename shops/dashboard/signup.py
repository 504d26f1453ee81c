"""/commercants/inscription/: a shopkeeper opens an account and registers their shop.

The shop starts `pending`; once the merchant opens the link e-mailed to them (their address
proven), it reaches the town's queue. The answer never tells whether the address already had
an account (accounts.verification): every sign-up lands on "check your mailbox", and the
merchant signs in with their password to prepare the shop meanwhile. A customer already
signed in registers a shop under their own account: only the shop part is asked.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from accounts import throttles
from accounts.responses import too_many_requests
from accounts.verification import email_is_verified, verification_message_add
from shops.access import is_merchant
from shops.dashboard.profile_forms import MerchantAccountForm, ShopCreateForm
from shops.onboarding import merchant_signup, shop_create

CHECK_MAILBOX = gettext_lazy(
    "Merci ! Ouvrez le lien que nous venons de vous envoyer par e-mail pour confirmer votre "
    "adresse : votre boutique sera alors soumise à la validation de la mairie. Vous pouvez "
    "vous connecter dès maintenant pour la préparer."
)


class MerchantSignupView(View):
    template_name = "digitaix/signup/merchant_signup.html"

    def dispatch(self, request, *args, **kwargs):
        if is_merchant(request.user):
            return redirect("space:landing")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self._render(self._account_form(), ShopCreateForm())

    def post(self, request):
        account_form = self._account_form(request.POST)
        shop_form = ShopCreateForm(request.POST)
        forms_valid = [f.is_valid() for f in (account_form, shop_form) if f is not None]
        if not all(forms_valid):
            return self._render(account_form, shop_form)
        if not throttles.signup_allowed(request):
            return too_many_requests(
                request,
                message=_("Trop d'inscriptions depuis votre adresse : réessayez plus tard."),
            )
        try:
            shop = self._sign_up(account_form, shop_form)
        except ValidationError as error:
            target = account_form if account_form is not None else shop_form
            target.add_error(None, error.messages)
            return self._render(account_form, shop_form)
        if account_form is not None:
            # New address or registered one, the same answer (accounts.verification).
            messages.success(request, CHECK_MAILBOX)
            return redirect("accounts:check-mailbox")
        messages.success(
            request,
            _(
                "Bienvenue ! La boutique « %(shop)s » est enregistrée et attend la validation "
                "de la mairie. Préparez-la dès maintenant."
            )
            % {"shop": shop.name},
        )
        return redirect("space:landing")

    def _sign_up(self, account_form, shop_form):
        if account_form is None:
            user = self.request.user
            shop = shop_create(user=user, fields=shop_form.cleaned_data)
            if not email_is_verified(user):  # the shop is queued once the address is proven
                verification_message_add(user=user)
            return shop
        data = account_form.cleaned_data
        _user, shop = merchant_signup(
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            password=data["password1"],
            shop_fields=shop_form.cleaned_data,
        )
        return shop

    def _account_form(self, data=None):
        """No account part for a signed-in customer: their shop joins their account."""
        if self.request.user.is_authenticated:
            return None
        return MerchantAccountForm(data)

    def _render(self, account_form, shop_form):
        context = {"account_form": account_form, "shop_form": shop_form}
        return render(self.request, self.template_name, context)
