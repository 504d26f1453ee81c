"""Fields every app shares (this is the lowest app).

- `RichTextField`, a model field whose HTML is cleaned by the one sanitiser on every way into
  the database. Cleaning in the field rather than in a form means no writer can skip it: a
  model's `save()` (Oscar's dashboard form, the admin, a service), `bulk_create` and
  `bulk_update` (the CSV import) and `QuerySet.update()` all hand the value to
  `get_db_prep_save` before it is stored.
- `EmailField`, the form field of every e-mail address, capped at the column's length.
"""

from django import forms
from django.db import models

from catalog.text import rich_text_clean

# RFC 5321's limit for an address, and the length of every e-mail column (models.EmailField).
# Django's forms.EmailField accepts up to 320 characters: 255 to 320 would pass the form and
# then fail in PostgreSQL (a 500). Every e-mail field of a form uses this one.
EMAIL_MAX_LENGTH = 254


class RichTextField(models.TextField):
    """HTML from users, stored only after `catalog.text.rich_text_clean`."""

    def pre_save(self, model_instance, add):
        # The instance holds the cleaned text too, as it will be read back.
        value = getattr(model_instance, self.attname)
        if isinstance(value, str):
            value = rich_text_clean(value)
            setattr(model_instance, self.attname, value)
        return value

    def get_db_prep_save(self, value, connection):
        # bulk_create, bulk_update and QuerySet.update() reach the database through here.
        if isinstance(value, str):
            value = str(rich_text_clean(value))  # a plain str for the database adapter
        return super().get_db_prep_save(value, connection)


class EmailField(forms.EmailField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", EMAIL_MAX_LENGTH)
        super().__init__(**kwargs)
