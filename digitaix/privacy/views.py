"""The resident's "Mes données" tab: download everything, or delete the account."""

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView

from digitaix.privacy.export import data_csv_zip, data_json
from digitaix.privacy.selectors import customer_data
from digitaix.privacy.services import (
    AccountNotDeletable,
    customer_account_deletable,
    customer_account_delete,
)


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=gettext_lazy("Votre mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "Je comprends que mon compte, mes adresses et mes avis seront effacés pour toujours."
        )
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Ce n'est pas votre mot de passe."))
        return password


class DataView(LoginRequiredMixin, FormView):
    """/accounts/mes-donnees/: the downloads, and the deletion form."""

    template_name = "digitaix/privacy/data.html"
    form_class = DeleteAccountForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            page_title=_("Mes données"),
            active_tab="data",
            refusal=customer_account_deletable(user=self.request.user),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            count = customer_account_delete(user=self.request.user)
        except AccountNotDeletable as refusal:
            form.add_error(None, str(refusal))
            return self.form_invalid(form)
        logout(self.request)
        text = _("Votre compte est supprimé. Merci d'avoir utilisé le portail.")
        if count:
            text += " " + _("Vos commandes restent dans les comptes des boutiques, sans votre nom.")
        messages.success(self.request, text)
        return HttpResponseRedirect(reverse("home"))


class DataDownloadView(LoginRequiredMixin, View):
    """/accounts/mes-donnees/telecharger.json and .zip: only ever the signed-in resident's."""

    fmt = "json"

    def get(self, request):
        data = customer_data(user=request.user)
        stamp = timezone.localdate().isoformat()
        if self.fmt == "json":
            body, content_type, name = data_json(data), "application/json", "json"
        else:
            body, content_type, name = data_csv_zip(data), "application/zip", "zip"
        response = HttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="mes-donnees-{stamp}.{name}"'
        response["Cache-Control"] = "no-store"
        return response
