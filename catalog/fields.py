"""A model field whose HTML is cleaned by the one sanitiser on every way into the database.

Cleaning in the field rather than in a form means no writer can skip it: a model's `save()`
(Oscar's dashboard form, the admin, a service), `bulk_create` and `bulk_update` (the CSV
import) and `QuerySet.update()` all hand the value to `get_db_prep_save` before it is stored.
"""

from django.db import models

from catalog.text import rich_text_clean


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
