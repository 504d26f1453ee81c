"""Oscar's order dashboard forms: an order note is bounded (its column is unbounded text)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.apps.dashboard.orders import forms as oscar_forms

NOTE_MAX_LENGTH = 5000


class OrderNoteForm(oscar_forms.OrderNoteForm):
    """A note is a few lines for the team; 20,000 pasted characters are a mistake, refused
    with a French message rather than stored."""

    message = forms.CharField(label=_("Message"), widget=forms.Textarea, max_length=NOTE_MAX_LENGTH)

    class Meta(oscar_forms.OrderNoteForm.Meta):
        pass
