"""Every e-mail a form takes fits the database's 254 characters: longer is a French form
error, never a 500 (PostgreSQL) nor a row written (catalog.fields.EmailField)."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from oscar.core.loading import get_class

from delivery.board.forms import CourierAddForm
from shops.dashboard.profile_forms import MerchantAccountForm
from shops.dashboard.team import TeamInviteForm
from tests.checkout import basket_fill
from tests.factories import product_offered

pytestmark = pytest.mark.django_db

LONG_EMAIL = "a" * 64 + "@" + ("b" * 60 + ".") * 4 + "fr"  # valid, 311 characters

EMAIL_FIELDS = [
    (get_class("checkout.forms", "GatewayForm"), "username"),
    (get_class("customer.forms", "EmailAuthenticationForm"), "username"),
    (get_class("customer.forms", "EmailUserCreationForm"), "email"),
    (get_class("customer.forms", "ProductAlertForm"), "email"),
    (get_class("customer.forms", "AnonymousOrderForm"), "email"),
    (get_class("customer.forms", "PasswordResetForm"), "email"),
    (get_class("catalogue.reviews.forms", "ProductReviewForm"), "email"),
    (get_class("dashboard.partners.forms", "NewUserForm"), "email"),
    (MerchantAccountForm, "email"),
    (TeamInviteForm, "email"),
    (CourierAddForm, "email"),
]


@pytest.mark.parametrize(("form_class", "name"), EMAIL_FIELDS)
def test_every_email_field_is_capped_at_254(form_class, name):
    assert form_class.base_fields[name].max_length == 254


def test_the_long_address_is_otherwise_valid():
    from django.core.validators import validate_email

    assert len(LONG_EMAIL) > 300
    validate_email(LONG_EMAIL)


def test_a_300_character_guest_email_is_a_form_error(client):
    basket_fill(client, product_offered(title="Pain"), quantity=1)
    response = client.post(
        reverse("checkout:index"), {"username": LONG_EMAIL, "options": "anonymous"}
    )
    assert response.status_code == 200
    assert "au plus 254 caractères" in str(response.context["form"].errors["username"])
    assert not client.session.get("checkout_data", {}).get("guest")


def test_a_300_character_email_at_merchant_signup_writes_nothing(client):
    response = client.post(
        reverse("merchant-signup"),
        {
            "first_name": "Marie",
            "last_name": "Dupont",
            "email": LONG_EMAIL,
            "password1": "un-mot-de-passe-solide",
            "password2": "un-mot-de-passe-solide",
            "name": "Chez Marie",
        },
    )
    assert response.status_code == 200
    assert not get_user_model().objects.exists()
