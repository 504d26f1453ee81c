"""Oscar's product review form, its e-mail capped at the database's 254 characters."""

from oscar.apps.catalogue.reviews import forms as oscar_forms

from catalog.fields import EmailField


class ProductReviewForm(oscar_forms.ProductReviewForm):
    email = EmailField(
        label=oscar_forms.ProductReviewForm.base_fields["email"].label, required=True
    )

    class Meta(oscar_forms.ProductReviewForm.Meta):
        pass
