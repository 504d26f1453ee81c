"""Stripe's webhook at /stripe/webhook/ (real signatures), the resident's return from Stripe and
the merchant's payments page, against the fake Stripe."""

import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from orders.models import OrderPayment, ShopOrder, ShopOrderEvent, ShopPayout, StripeEvent
from orders.payments import services
from orders.services import shop_order_transition
from tests.factories import ShopFactory, merchant_create, product_offered
from tests.fakes.stripe_server import sign_webhook
from tests.payments import WEBHOOK_SECRET, card_order, order_place, stripe_settings

pytest_plugins = ["tests.fakes.stripe_server"]

URL = "/stripe/webhook/"
S = ShopOrder.Status


@pytest.fixture
def stripe_on(settings, fake_stripe):
    stripe_settings(settings)
    return fake_stripe


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _product(price="9.90"):
    return product_offered(title="Miel", shop=ShopFactory(), price=price)


def _post(client, payload: bytes, *, secret: str = WEBHOOK_SECRET, signature: str | None = None):
    headers = {"HTTP_STRIPE_SIGNATURE": sign_webhook(payload, secret)}
    if signature is not None:
        headers = {"HTTP_STRIPE_SIGNATURE": signature} if signature else {}
    return client.post(URL, payload, content_type="application/json", **headers)


def _completed(fake, payment, event_id=""):
    session = fake.checkout_session_pay(payment.session_id)
    return fake.event_payload("checkout.session.completed", session, event_id)


def _paid_marks(order) -> int:
    return ShopOrderEvent.objects.filter(
        shop_order__order=order, reason="Paiement enregistré"
    ).count()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "signature",
    [
        pytest.param(None, id="wrong-secret"),
        pytest.param("", id="missing"),
        pytest.param("t=1,v1=deadbeef", id="forged"),
    ],
)
def test_webhook_not_signed_with_our_secret_is_refused_and_writes_nothing(
    client, stripe_on, signature
):
    order, payment = card_order((_product(), 1))
    payload = _completed(stripe_on, payment)

    if signature is None:
        response = _post(client, payload, secret="whsec_someone_else")
    else:
        response = _post(client, payload, signature=signature)

    payment.refresh_from_db()
    assert response.status_code == 400
    assert StripeEvent.objects.count() == 0
    assert payment.status == OrderPayment.Status.PENDING
    assert not order.shop_orders.get().is_paid


@pytest.mark.django_db
def test_webhook_answers_only_post(client, stripe_on):
    assert client.get(URL).status_code == 405


@pytest.mark.django_db
def test_completed_checkout_event_pays_the_order(client, stripe_on):
    order, payment = card_order((_product(), 1))

    response = _post(client, _completed(stripe_on, payment, "evt_paid_1"))

    payment.refresh_from_db()
    event = StripeEvent.objects.get()
    assert response.status_code == 200
    assert payment.status == OrderPayment.Status.PAID
    assert order.shop_orders.get().is_paid
    assert (event.event_id, event.type) == ("evt_paid_1", "checkout.session.completed")
    assert event.processed_at is not None


@pytest.mark.django_db
def test_the_same_event_delivered_twice_is_processed_once(client, stripe_on):
    order, payment = card_order((_product(), 1))
    payload = _completed(stripe_on, payment, "evt_twice")

    responses = [_post(client, payload).status_code for _ in range(2)]

    session_reads = [r for r in stripe_on.requests if r[0] == "GET" and "/checkout/" in r[1]]
    assert responses == [200, 200]
    assert StripeEvent.objects.count() == 1
    assert len(session_reads) == 1
    assert _paid_marks(order) == 1


@pytest.mark.django_db
@pytest.mark.parametrize("reverse_order", [False, True], ids=["in-order", "reversed"])
def test_expiry_notice_next_to_the_payment_never_cancels_a_paid_order(
    client, stripe_on, reverse_order
):
    order, payment = card_order((_product(), 1))
    completed = _completed(stripe_on, payment, "evt_1")
    session = stripe_on.objects[payment.session_id]
    expired = stripe_on.event_payload("checkout.session.expired", {**session}, "evt_2")
    events = [expired, completed] if reverse_order else [completed, expired]

    codes = [_post(client, payload).status_code for payload in events]

    payment.refresh_from_db()
    shop_order = order.shop_orders.get()
    assert codes == [200, 200]
    assert payment.status == OrderPayment.Status.PAID
    assert (shop_order.status, shop_order.is_paid) == (S.NEW, True)


@pytest.mark.django_db
def test_expired_checkout_event_cancels_the_order(client, stripe_on):
    order, payment = card_order((_product(), 1))
    session = stripe_on.checkout_session_expire(payment.session_id)

    response = _post(client, stripe_on.event_payload("checkout.session.expired", session))

    shop_order = order.shop_orders.get()
    assert response.status_code == 200
    assert (shop_order.status, shop_order.status_reason) == (S.CANCELLED, "Paiement non abouti")


@pytest.mark.django_db
def test_event_for_a_session_that_is_not_ours_is_acknowledged(client, stripe_on):
    payload = stripe_on.event_payload(
        "checkout.session.completed", {"id": "cs_test_elsewhere", "object": "checkout.session"}
    )

    response = _post(client, payload)

    assert response.status_code == 200
    assert StripeEvent.objects.count() == 1
    assert OrderPayment.objects.count() == 0


@pytest.mark.django_db
def test_other_event_types_are_acknowledged_and_ignored(client, stripe_on):
    payload = stripe_on.event_payload("charge.updated", {"id": "ch_1", "object": "charge"})

    assert _post(client, payload).status_code == 200
    assert StripeEvent.objects.get().type == "charge.updated"


@pytest.mark.django_db
def test_account_updated_event_marks_the_shop_ready_and_pays_what_it_waited_for(
    client, stripe_on, django_capture_on_commit_callbacks, eager_celery
):
    product = _product(price="10.00")
    shop = product.stockrecords.get().partner
    order, payment = card_order((product, 1))
    stripe_on.checkout_session_pay(payment.session_id)
    services.stripe_checkout_complete(session_id=payment.session_id)
    shop_order = order.shop_orders.get()
    for status in (S.ACCEPTED, S.READY, S.COLLECTED):
        shop_order = shop_order_transition(shop_order=shop_order, to_status=status)
    services.shop_order_settle(shop_order_id=shop_order.pk)
    merchant = merchant_create(shop)
    client.force_login(merchant)
    client.post(reverse("payments:connect", kwargs={"slug": shop.code}))
    shop.refresh_from_db()
    stripe_on.account_complete_onboarding(shop.stripe_account_id)
    account = stripe_on.objects[shop.stripe_account_id]

    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, stripe_on.event_payload("account.updated", account))

    shop.refresh_from_db()
    assert response.status_code == 200
    assert shop.stripe_account_ready
    assert ShopPayout.objects.get().status == ShopPayout.Status.TRANSFERRED
    assert [t["amount"] for t in stripe_on.all("transfer")] == [950]


# --- Concurrency (PostgreSQL) -----------------------------------------------------------------


def _run_at_once(*targets) -> list:
    barrier = threading.Barrier(len(targets))
    outcomes: list = []

    def run(target):
        try:
            barrier.wait()
            outcomes.append(target())
        except Exception as error:  # noqa: BLE001 - every outcome is asserted by the caller
            outcomes.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(target,)) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_event_posted_five_times_at_once_is_processed_once(on_postgres, stripe_on):
    order, payment = card_order((_product(), 1), (_product(), 1))
    payload = _completed(stripe_on, payment, "evt_concurrent")

    outcomes = _run_at_once(*[lambda: _post(Client(), payload).status_code] * 5)

    assert outcomes == [200] * 5
    assert StripeEvent.objects.filter(event_id="evt_concurrent").count() == 1
    assert OrderPayment.objects.get().status == OrderPayment.Status.PAID
    assert _paid_marks(order) == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_browser_return_racing_the_webhook_pays_the_order_once(on_postgres, stripe_on):
    order, payment = card_order((_product(), 1), (_product(), 1))
    payload = _completed(stripe_on, payment, "evt_race")
    return_url = f"{reverse('stripe:checkout-return')}?session_id={payment.session_id}"

    outcomes = _run_at_once(
        lambda: _post(Client(), payload).status_code,
        lambda: Client().get(return_url).status_code,
        lambda: services.stripe_checkout_complete(session_id=payment.session_id).status,
    )

    assert sorted(map(str, outcomes)) == ["200", "302", "paid"]
    assert OrderPayment.objects.get().status == OrderPayment.Status.PAID
    assert _paid_marks(order) == 2
    assert all(so.is_paid for so in order.shop_orders.all())


# --- The resident's return from Stripe -----------------------------------------------------------


@pytest.mark.django_db
def test_return_from_a_paid_checkout_shows_oscars_thank_you_page(client, stripe_on):
    order, payment = card_order((_product(), 1))
    stripe_on.checkout_session_pay(payment.session_id)

    response = client.get(reverse("stripe:checkout-return"), {"session_id": payment.session_id})

    assert response.status_code == 302 and response.url == reverse("checkout:thank-you")
    assert client.session["checkout_order_id"] == order.pk
    assert client.get(response.url).status_code == 200
    assert OrderPayment.objects.get().status == OrderPayment.Status.PAID


@pytest.mark.django_db
def test_return_before_payment_is_confirmed_says_it_is_pending(client, stripe_on):
    _order, payment = card_order((_product(), 1))

    response = client.get(reverse("stripe:checkout-return"), {"session_id": payment.session_id})

    assert response.status_code == 200
    assert "attendons la confirmation" in response.content.decode()


@pytest.mark.django_db
def test_return_with_an_unknown_session_or_someone_elses_order_is_not_found(client, stripe_on):
    from django.contrib.auth import get_user_model

    owner = get_user_model().objects.create_user("a", "a@example.fr", "x")
    _order, payment = card_order((_product(), 1), user=owner)
    url = reverse("stripe:checkout-return")
    client.force_login(get_user_model().objects.create_user("b", "b@example.fr", "x"))

    assert client.get(url, {"session_id": "cs_test_unknown"}).status_code == 404
    assert client.get(url, {"session_id": payment.session_id}).status_code == 404


# --- The merchant's payments page ---------------------------------------------------------------


@pytest.mark.django_db
def test_merchant_connects_a_shop_to_stripe_and_comes_back_ready(client, stripe_on):
    shop = ShopFactory(name="Fromagerie du Lac", email="lac@example.fr")
    other = ShopFactory(name="Cave d'à côté")
    client.force_login(merchant_create(shop))
    page = reverse("payments:index")

    before = client.get(page).content.decode()
    response = client.post(reverse("payments:connect", kwargs={"slug": shop.code}))
    shop.refresh_from_db()
    stripe_on.account_complete_onboarding(shop.stripe_account_id)
    back = client.get(reverse("payments:return", kwargs={"slug": shop.code}), follow=True)

    shop.refresh_from_db()
    assert "Connecter mon compte Stripe" in before and other.name not in before
    assert response.status_code == 302
    assert response.url.startswith(f"{stripe_on.base_url}/onboarding/{shop.stripe_account_id}/")
    assert stripe_on.objects[shop.stripe_account_id]["email"] == "lac@example.fr"
    assert shop.stripe_account_ready
    assert 'data-stripe-status="ready"' in back.content.decode()


@pytest.mark.django_db
def test_merchant_cannot_connect_another_shop(client, stripe_on):
    mine, theirs = ShopFactory(), ShopFactory()
    client.force_login(merchant_create(mine))

    response = client.post(reverse("payments:connect", kwargs={"slug": theirs.code}))

    assert response.status_code == 404
    assert stripe_on.all("account") == []


@pytest.mark.django_db
def test_payments_page_is_for_merchants_only(client):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.create_user("r", "r@example.fr", "x"))

    assert client.get(reverse("payments:index")).status_code == 403


@pytest.mark.django_db
def test_without_stripe_the_page_says_payment_is_at_pickup_and_offers_no_button(client, settings):
    settings.STRIPE_SECRET_KEY = ""
    shop = ShopFactory()
    client.force_login(merchant_create(shop))

    content = client.get(reverse("payments:index")).content.decode()
    response = client.post(reverse("payments:connect", kwargs={"slug": shop.code}))

    assert "paient au retrait" in content
    assert "Connecter mon compte Stripe" not in content
    assert response.status_code == 404


@pytest.mark.django_db
def test_merchant_order_page_shows_the_towns_commission_and_what_the_shop_keeps(client, settings):
    settings.DIGITAIX_COMMISSION_RATE = "0.085"
    product = product_offered(title="Tomme", shop=ShopFactory(), price="18.55")
    merchant = merchant_create(product.stockrecords.get().partner)
    order = order_place((product, 2), (_product(), 1))
    client.force_login(merchant)

    shop = product.stockrecords.get().partner
    shop_order = order.shop_orders.get(shop=shop)
    url = reverse("shop-orders:detail", kwargs={"slug": shop.code, "number": shop_order.number})
    response = client.get(url)

    html = response.content.decode()
    share = response.context["share"]
    assert (share.gross, share.commission, share.net) == (
        Decimal("37.10"),
        Decimal("3.15"),
        Decimal("33.95"),
    )
    money = html[html.index("data-share") :]
    assert "3,15" in money and "33,95" in money and "(8,50 %)" in money
