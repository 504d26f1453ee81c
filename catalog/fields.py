"""Form fields every app shares (this is the lowest app)."""

from django import forms

# RFC 5321's limit for an address, and the length of every e-mail column (models.EmailField).
# Django's forms.EmailField accepts up to 320 characters: 255 to 320 would pass the form and
# then fail in PostgreSQL (a 500). Every e-mail field of a form uses this one.
EMAIL_MAX_LENGTH = 254


class EmailField(forms.EmailField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", EMAIL_MAX_LENGTH)
        super().__init__(**kwargs)
