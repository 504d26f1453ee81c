"""The legal pages (public), the contact form (public), and the town staff's editor."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from accounts.throttles import contact_allowed
from digitaix.legal.contact import contact_message_send
from digitaix.legal.forms import ContactForm, LegalPageForm
from digitaix.legal.pages import (
    PAGES,
    PAGES_BY_KEY,
    legal_page_default,
    legal_page_get,
    legal_page_save,
    legal_page_text,
    legal_pages_written,
    necessary_cookies,
)
from shops.access import CommerceStaffRequiredMixin


class LegalPageView(TemplateView):
    """/mentions-legales/, /conditions-generales/, /confidentialite/, /cookies/."""

    template_name = "digitaix/legal/page.html"
    key = ""

    def get_context_data(self, **kwargs):
        title, body, written = legal_page_text(key=self.key)
        context = super().get_context_data(
            page_key=self.key, title=title, body=body, written=written, **kwargs
        )
        if self.key == "cookies":
            context["cookies"] = necessary_cookies()
        return context


class ContactView(FormView):
    """/contact/: a message to the town's commerce staff, through the outbox, rate-limited."""

    template_name = "digitaix/legal/contact.html"
    form_class = ContactForm

    def get_initial(self):
        user = self.request.user
        if user.is_authenticated:
            return {"name": user.get_full_name(), "email": user.email}
        return {}

    def form_valid(self, form):
        data = form.cleaned_data
        if not contact_allowed(self.request, email=data["email"]):
            form.add_error(
                None,
                _(
                    "Trop de messages envoyés en peu de temps : le vôtre n'est pas parti. "
                    "Réessayez dans une heure."
                ),
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        contact_message_send(
            name=data["name"],
            email=data["email"],
            subject=form.subject_label(),
            order_number=data["order_number"],
            message=data["message"],
            user_id=self.request.user.pk if self.request.user.is_authenticated else None,
        )
        messages.success(
            self.request,
            _(
                "Votre message est envoyé. Nous vous répondons par e-mail, en général sous "
                "2 jours ouvrés."
            ),
        )
        return HttpResponseRedirect(reverse("legal:contact"))


class StaffLegalPagesView(CommerceStaffRequiredMixin, TemplateView):
    """/gestion/pages/: the legal pages, written or still on their default text."""

    template_name = "digitaix/legal/staff_pages.html"

    def get_context_data(self, **kwargs):
        written = legal_pages_written()
        rows = [{"page": page, "written": page.key in written} for page in PAGES]
        return super().get_context_data(
            rows=rows, contact_email=settings.DIGITAIX_CONTACT_EMAIL, **kwargs
        )


class StaffLegalPageEditView(CommerceStaffRequiredMixin, FormView):
    """/gestion/pages/<key>/: write one page's text."""

    template_name = "digitaix/legal/staff_page_edit.html"
    form_class = LegalPageForm

    def dispatch(self, request, *args, **kwargs):
        if kwargs["key"] not in PAGES_BY_KEY:
            raise Http404
        self.page = PAGES_BY_KEY[kwargs["key"]]
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        stored = legal_page_get(key=self.page.key)
        if stored is not None:
            return {"title": stored.title, "content": stored.content}
        return {"title": str(self.page.title), "content": legal_page_default(key=self.page.key)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(page=self.page, **kwargs)

    def form_valid(self, form):
        legal_page_save(key=self.page.key, **form.cleaned_data)
        messages.success(
            self.request, _("La page « %s » est enregistrée.") % form.cleaned_data["title"]
        )
        return HttpResponseRedirect(reverse("legal:staff-pages"))
