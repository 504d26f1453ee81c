"""Paying online through the checkout pages: the order is placed, the resident sent to Stripe
Checkout (the local fake), and only once Stripe says it is paid do the shops see it and do
the e-mails go out. Stripe unreachable: nothing is placed."""

import pytest
import stripe
from django.contrib.auth import get_user_model
from django.urls import reverse
from oscar.core.loading import get_model

from messaging.models import OutboxMessage
from orders import selectors
from orders.models import OrderPayment, ShopOrder
from tests.checkout import basket_fill, checkout_to_preview, fulfilment_data
from tests.factories import ShopFactory, merchant_create, product_offered, week_hours
from tests.payments import stripe_settings

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_celery")]
pytest_plugins = ["tests.fakes.stripe_server"]
Order = get_model("order", "Order")
PREVIEW = reverse("checkout:preview")


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def shop_and_resident(client):
    shop = ShopFactory(name="Fromagerie du Lac", email="fromagerie@example.fr")
    week_hours(shop)
    comte = product_offered(title="Comté 18 mois", shop=shop, price="6.90")
    client.force_login(get_user_model().objects.create_user("c", "camille@example.fr", "x"))
    basket_fill(client, comte)
    return shop, merchant_create(shop)


def to_preview_paying_by_card(client):
    page = client.get(reverse("checkout:shipping-method"))
    client.post(reverse("checkout:shipping-method"), fulfilment_data(page))
    page = client.get(reverse("checkout:payment-method"))
    assert page.status_code == 200 and "carte bancaire" in page.content.decode()
    client.post(reverse("checkout:payment-method"), {"method": "stripe"})
    preview = client.get(reverse("checkout:preview"))
    assert "Payer la commande" in preview.content.decode()
    return preview


def test_card_payment_goes_to_stripe_and_the_shop_sees_the_order_once_paid(
    client, settings, fake_stripe, shop_and_resident, django_capture_on_commit_callbacks
):
    stripe_settings(settings)
    shop, merchant = shop_and_resident
    preview = to_preview_paying_by_card(client)
    total = str(preview.context["order_total"].incl_tax)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("checkout:preview"), {"action": "place_order", "total": total}
        )

    payment = OrderPayment.objects.get()
    assert response.status_code == 302 and response["Location"] == payment.checkout_url
    assert payment.status == "pending" and payment.amount_cents == 1380  # 2 × 6,90 €
    assert not selectors.shop_orders_of_merchant(user=merchant).exists()
    assert not OutboxMessage.objects.exists()

    fake_stripe.checkout_session_pay(payment.session_id)
    with django_capture_on_commit_callbacks(execute=True):
        back = client.get(reverse("stripe:checkout-return"), {"session_id": payment.session_id})

    assert back.status_code == 302 and back["Location"] == reverse("checkout:thank-you")
    assert selectors.shop_orders_of_merchant(user=merchant).get().is_paid
    assert sorted(OutboxMessage.objects.values_list("kind", flat=True)) == [
        "order_confirmation",
        "shop_new_order",
    ]


def test_stripe_unreachable_places_nothing_and_says_so(
    client, settings, monkeypatch, shop_and_resident, django_capture_on_commit_callbacks
):
    stripe_settings(settings)
    monkeypatch.setattr(stripe, "api_base", "http://127.0.0.1:1")  # nothing listens there
    monkeypatch.setattr(stripe, "max_network_retries", 0)
    preview = to_preview_paying_by_card(client)
    total = str(preview.context["order_total"].incl_tax)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("checkout:preview"), {"action": "place_order", "total": total}
        )

    assert response.status_code == 200
    assert "Le paiement en ligne est indisponible" in response.content.decode()
    assert not Order.objects.exists() and not ShopOrder.objects.exists()
    assert not OrderPayment.objects.exists()
    assert client.get("/basket/").context["basket"].num_items == 2


def test_without_stripe_the_payment_step_is_on_site_only(client, shop_and_resident):
    basket_page = checkout_to_preview(client)
    assert "Auprès de vos commerçants" in basket_page.content.decode()
    assert client.post(reverse("checkout:payment-method"), {"method": "stripe"}).status_code == 302
    assert "Confirmer la commande" in client.get(reverse("checkout:preview")).content.decode()
