"""Helpers for tests that drive real pages: images to upload, and a rendered form's POST."""

from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def picture(fmt="PNG", size=(600, 400), mode="RGB", name="photo.png") -> SimpleUploadedFile:
    """A real image file of the given format, size and mode, as a browser would upload it."""
    data = BytesIO()
    Image.new(mode, size, "white").save(data, fmt)
    return SimpleUploadedFile(name, data.getvalue(), content_type=f"image/{fmt.lower()}")


def product_page_data(response) -> dict:
    """The POST a browser would send back from Oscar's product page, as rendered."""
    data = {}
    for name in ("form", "stockrecord_formset", "image_formset", "category_formset"):
        item = response.context[name]
        forms = [item] if name == "form" else [item.management_form, *item.forms]
        for form in forms:
            for field in form:
                value = field.value()
                if value is None or value is False or field.name == "original":
                    continue
                data[field.html_name] = value.pk if hasattr(value, "pk") else value
                if field.field.show_hidden_initial:  # e.g. the currency (a callable default)
                    data[field.html_initial_name] = data[field.html_name]
    data["primary_recommendations-TOTAL_FORMS"] = 0
    data["primary_recommendations-INITIAL_FORMS"] = 0
    return data
