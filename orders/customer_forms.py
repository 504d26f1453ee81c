"""Oscar's customer forms (sign-up, sign-in, product alerts, password reset, guest order
lookup) with e-mail fields capped at the database's 254 characters (catalog.fields)."""

from oscar.apps.customer import forms as oscar_forms

from catalog.fields import EmailField


def _label(form_class, name: str):
    return form_class.base_fields[name].label


class EmailAuthenticationForm(oscar_forms.EmailAuthenticationForm):
    username = EmailField(label=_label(oscar_forms.EmailAuthenticationForm, "username"))


class EmailUserCreationForm(oscar_forms.EmailUserCreationForm):
    email = EmailField(label=_label(oscar_forms.EmailUserCreationForm, "email"))


class ProductAlertForm(oscar_forms.ProductAlertForm):
    email = EmailField(
        required=True,
        label=_label(oscar_forms.ProductAlertForm, "email"),
        widget=oscar_forms.ProductAlertForm.base_fields["email"].widget,
    )


class AnonymousOrderForm(oscar_forms.AnonymousOrderForm):
    email = EmailField(label=_label(oscar_forms.AnonymousOrderForm, "email"))
