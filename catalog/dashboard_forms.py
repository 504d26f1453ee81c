"""Oscar's product forms, with uploaded photos checked by catalog.images.

A product photo is accepted only as JPEG, PNG or WebP within the size limits, never as a
decompression bomb, and is stored re-encoded at a bounded size. The field is a plain file
field so that our French message, not Django's generic "not an image", reaches the form;
Oscar's product page then saves nothing while a photo is refused.
"""

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from oscar.apps.dashboard.catalogue import forms as oscar_forms
from oscar.forms.widgets import ImageInput

from catalog.images import image_clean

PRODUCT_PHOTO_MAX_SIZE = (1600, 1600)


class PhotoInput(ImageInput):
    """Oscar's image widget, its inline onload/onerror handlers (blocked by the
    Content-Security-Policy) replaced by a data attribute that static/digitaix/js/actions.js
    handles. Form widgets render through Django's form renderer, which reads app templates."""

    template_name = "catalog/widgets/image_input.html"


class ProductImageForm(oscar_forms.ProductImageForm):
    original = forms.FileField(label=_("Photo"), widget=PhotoInput())

    class Meta(oscar_forms.ProductImageForm.Meta):
        pass

    def clean_original(self):
        upload = self.cleaned_data.get("original")
        if isinstance(upload, UploadedFile):
            return image_clean(upload, max_size=PRODUCT_PHOTO_MAX_SIZE)
        return upload  # the photo already stored, unchanged
