"""Card payment by Stripe: Checkout for the whole order, payment recorded once, expiry, transfers
to the shops minus the commission, refunds; the real stripe-python against the fake Stripe."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from oscar.core.loading import get_model

from orders import selectors
from orders.models import OrderPayment, ShopOrder, ShopOrderEvent, ShopPayout, ShopRefund
from orders.payments import services, stripe_client
from orders.payments.money import to_cents
from orders.services import shop_order_transition
from tests.factories import ShopFactory, merchant_create, product_offered
from tests.payments import card_order, order_place, stripe_settings

pytest_plugins = ["tests.fakes.stripe_server"]
pytestmark = pytest.mark.django_db

StockRecord = get_model("partner", "StockRecord")
S = ShopOrder.Status


@pytest.fixture
def stripe_on(settings, fake_stripe):
    stripe_settings(settings)
    return fake_stripe


def _product(name="Miel", price="9.90", **shop_fields):
    shop = ShopFactory(offers_delivery=True, **shop_fields)
    return product_offered(title=name, shop=shop, price=price)


def _connected(fake, shop, *, ready=True):
    """The shop's Stripe account, created and onboarded on the fake, its status read."""
    shop.stripe_account_id = stripe_client.connected_account_create(
        email="shop@example.fr", shop_name=shop.name
    )
    shop.save(update_fields=["stripe_account_id"])
    if ready:
        fake.account_complete_onboarding(shop.stripe_account_id)
    return services.shop_stripe_account_refresh(shop=shop)


def _paid(fake, payment):
    fake.checkout_session_pay(payment.session_id)
    return services.stripe_checkout_complete(session_id=payment.session_id)


def _walk(shop_order, *statuses, reason=""):
    for status in statuses:
        shop_order = shop_order_transition(shop_order=shop_order, to_status=status, reason=reason)
    return shop_order


def test_checkout_opens_a_session_for_the_order_total_with_one_line_per_shop(stripe_on):
    order, payment = card_order((_product("Miel", "9.90"), 2), (_product("Pain", "3.35"), 1))

    session = stripe_on.objects[payment.session_id]
    assert session["amount_total"] == to_cents(order.total_incl_tax) == 2315
    assert session["client_reference_id"] == str(order.number)
    assert session["metadata"]["order_number"] == str(order.number)
    assert payment.status == OrderPayment.Status.PENDING
    assert payment.amount_cents == 2315 and payment.checkout_url == session["url"]


def test_starting_checkout_twice_gives_the_same_stripe_page(stripe_on):
    order, payment = card_order((_product(), 1))

    again = services.stripe_checkout_start(order=order, success_url="https://x/", cancel_url="/")

    assert again == payment.checkout_url
    assert len(stripe_on.all("checkout.session")) == 1


def test_a_paid_order_cannot_be_sent_to_checkout_again(stripe_on):
    order, payment = card_order((_product(), 1))
    _paid(stripe_on, payment)

    with pytest.raises(ValidationError):
        services.stripe_checkout_start(order=order, success_url="https://x/", cancel_url="/")


def test_shops_do_not_see_an_order_until_its_card_payment_is_confirmed(stripe_on):
    product = _product()
    merchant = merchant_create(product.stockrecords.get().partner)
    order, payment = card_order((product, 1))

    shop = product.stockrecords.get().partner
    hidden = (
        list(selectors.shop_orders_of_merchant(user=merchant)),
        list(selectors.shop_orders_of_shop(shop=shop)),
    )
    _paid(stripe_on, payment)

    assert hidden == ([], [])
    assert [so.order_id for so in selectors.shop_orders_of_shop(shop=shop)] == [order.pk]
    assert [so.order_id for so in selectors.shop_orders_of_merchant(user=merchant)] == [order.pk]


def test_an_order_paid_at_pickup_is_seen_by_its_shop_at_once():
    product = _product()
    merchant = merchant_create(product.stockrecords.get().partner)

    order = order_place((product, 1))

    assert [so.order_id for so in selectors.shop_orders_of_merchant(user=merchant)] == [order.pk]


def test_completed_checkout_marks_the_payment_and_each_shop_order_paid_once(stripe_on):
    order, payment = card_order((_product(), 1), (_product(), 2))
    stripe_on.checkout_session_pay(payment.session_id)

    first = services.stripe_checkout_complete(session_id=payment.session_id)
    second = services.stripe_checkout_complete(session_id=payment.session_id)

    intent = stripe_on.all("payment_intent")[0]
    assert first.status == second.status == OrderPayment.Status.PAID
    assert (first.payment_intent_id, first.charge_id) == (intent["id"], intent["latest_charge"])
    assert all(so.is_paid for so in order.shop_orders.all())
    paid_events = ShopOrderEvent.objects.filter(
        shop_order__order=order, reason="Paiement enregistré"
    )
    assert paid_events.count() == 2


def test_returning_before_stripe_confirms_leaves_the_payment_pending(stripe_on):
    order, payment = card_order((_product(), 1))

    payment = services.stripe_checkout_complete(session_id=payment.session_id)

    assert payment.status == OrderPayment.Status.PENDING
    assert not order.shop_orders.get().is_paid


def test_a_session_paid_for_another_amount_is_not_recorded_as_paid(stripe_on):
    order, payment = card_order((_product(price="10.00"), 1))
    stripe_on.checkout_session_pay(payment.session_id)
    stripe_on.objects[payment.session_id]["amount_total"] = 100

    payment = services.stripe_checkout_complete(session_id=payment.session_id)

    assert payment.status == OrderPayment.Status.FAILED
    assert not order.shop_orders.get().is_paid


def test_an_unknown_session_is_refused():
    with pytest.raises(OrderPayment.DoesNotExist):
        services.stripe_checkout_complete(session_id="cs_test_not_ours")


def test_expired_session_cancels_the_shop_orders_and_gives_the_stock_back(stripe_on):
    product = _product()
    order, payment = card_order((product, 3))
    stock = StockRecord.objects.get(product=product)
    assert stock.num_allocated == 3
    stripe_on.checkout_session_expire(payment.session_id)

    payment = services.stripe_checkout_expire(session_id=payment.session_id)

    shop_order = order.shop_orders.get()
    stock.refresh_from_db()
    assert payment.status == OrderPayment.Status.EXPIRED
    assert (shop_order.status, shop_order.status_reason) == (S.CANCELLED, "Paiement non abouti")
    assert stock.num_allocated == 0


def test_expiry_notice_for_a_paid_session_changes_nothing(stripe_on):
    order, payment = card_order((_product(), 1))
    _paid(stripe_on, payment)

    payment = services.stripe_checkout_expire(session_id=payment.session_id)

    assert payment.status == OrderPayment.Status.PAID
    assert order.shop_orders.get().status == S.NEW


def test_sessions_left_unpaid_for_an_hour_are_closed_by_the_periodic_job(stripe_on):
    order, stale = card_order((_product(), 1))
    _fresh_order, fresh = card_order((_product(), 1))
    OrderPayment.objects.filter(pk=stale.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=61)
    )

    closed = services.stripe_sessions_expire(older_than_minutes=60)

    assert closed == 1
    assert stripe_on.objects[stale.session_id]["status"] == "expired"
    assert stripe_on.objects[fresh.session_id]["status"] == "open"
    assert order.shop_orders.get().status == S.CANCELLED


def test_collected_shop_order_is_transferred_minus_commission_once(stripe_on):
    product = _product(price="20.00")
    shop = _connected(stripe_on, product.stockrecords.get().partner)
    order, payment = card_order((product, 1))
    payment = _paid(stripe_on, payment)
    shop_order = _walk(order.shop_orders.get(), S.ACCEPTED, S.READY, S.COLLECTED)

    first = services.shop_order_settle(shop_order_id=shop_order.pk)
    second = services.shop_order_settle(shop_order_id=shop_order.pk)

    transfers = stripe_on.all("transfer")
    assert first.pk == second.pk and first.status == ShopPayout.Status.TRANSFERRED
    assert (first.amount, first.commission) == (Decimal("19.00"), Decimal("1.00"))
    assert len(transfers) == 1 and transfers[0]["amount"] == 1900
    assert transfers[0]["destination"] == shop.stripe_account_id
    assert transfers[0]["transfer_group"] == str(order.number)
    assert transfers[0]["source_transaction"] == payment.charge_id


def test_refused_shop_order_is_refunded_once(stripe_on):
    order, payment = card_order((_product(price="7.35"), 2))
    _paid(stripe_on, payment)
    shop_order = _walk(order.shop_orders.get(), S.REFUSED, reason="Rupture de stock")

    first = services.shop_order_settle(shop_order_id=shop_order.pk)
    second = services.shop_order_settle(shop_order_id=shop_order.pk)

    refunds = stripe_on.all("refund")
    assert first.pk == second.pk and first.status == ShopRefund.Status.REFUNDED
    assert len(refunds) == 1 and refunds[0]["amount"] == 1470
    assert stripe_on.all("charge")[0]["amount_refunded"] == 1470


def test_payout_waits_for_the_shop_to_connect_then_is_paid(stripe_on):
    product = _product(price="10.00")
    shop = product.stockrecords.get().partner
    order, payment = card_order((product, 1))
    _paid(stripe_on, payment)
    shop_order = _walk(order.shop_orders.get(), S.ACCEPTED, S.READY, S.COLLECTED)

    waiting = services.shop_order_settle(shop_order_id=shop_order.pk)
    assert waiting.status == ShopPayout.Status.PENDING and stripe_on.all("transfer") == []
    shop = _connected(stripe_on, shop, ready=False)
    assert services.shop_order_settle(shop_order_id=shop_order.pk).status == "pending"
    stripe_on.account_complete_onboarding(shop.stripe_account_id)
    services.shop_stripe_account_refresh(shop=shop)
    services.shop_order_settle(shop_order_id=shop_order.pk)

    waiting.refresh_from_db()
    assert waiting.status == ShopPayout.Status.TRANSFERRED
    assert [t["amount"] for t in stripe_on.all("transfer")] == [950]


def test_connecting_a_shop_enqueues_its_pending_payouts(
    stripe_on, django_capture_on_commit_callbacks, eager_celery
):
    product = _product(price="10.00")
    shop = product.stockrecords.get().partner
    order, payment = card_order((product, 1))
    _paid(stripe_on, payment)
    _walk(order.shop_orders.get(), S.ACCEPTED, S.READY, S.COLLECTED)
    services.shop_order_settle(shop_order_id=order.shop_orders.get().pk)

    with django_capture_on_commit_callbacks(execute=True):
        _connected(stripe_on, shop)

    assert ShopPayout.objects.get().status == ShopPayout.Status.TRANSFERRED


def test_an_order_paid_at_pickup_moves_no_money(stripe_on):
    order = order_place((_product(), 1))
    shop_order = _walk(order.shop_orders.get(), S.REFUSED, reason="Fermé")

    assert services.shop_order_settle(shop_order_id=shop_order.pk) is None
    assert stripe_on.requests == []


@pytest.mark.parametrize(
    ("prices", "rate"),
    [
        pytest.param(("0.99", "0.99", "0.99"), "0.05", id="3x0.99-at-5pct"),
        pytest.param(("18.55", "1.15", "11.99"), "0.085", id="awkward-at-8.5pct"),
        pytest.param(("0.01", "0.03", "0.10"), "0.33", id="cents-at-33pct"),
    ],
)
def test_transfers_commissions_and_refunds_add_up_to_the_charge(
    stripe_on, settings, django_capture_on_commit_callbacks, eager_celery, prices, rate
):
    settings.DIGITAIX_COMMISSION_RATE = rate
    products = [_product(f"Article {n}", price) for n, price in enumerate(prices)]
    for product in products:
        _connected(stripe_on, product.stockrecords.get().partner)
    order, payment = card_order(*[(product, 3) for product in products])
    _paid(stripe_on, payment)
    collected, delivered, refused = order.shop_orders.order_by("shop__name")
    ShopOrder.objects.filter(pk=delivered.pk).update(fulfilment=ShopOrder.Fulfilment.DELIVERY)

    with django_capture_on_commit_callbacks(execute=True):
        _walk(collected, S.ACCEPTED, S.READY, S.COLLECTED)
        _walk(delivered, S.ACCEPTED, S.READY, S.HANDED_TO_COURIER, S.DELIVERED)
        _walk(refused, S.REFUSED, reason="Rupture")

    charge = stripe_on.all("charge")[0]
    transfers = sum(t["amount"] for t in stripe_on.all("transfer"))
    refunds = sum(r["amount"] for r in stripe_on.all("refund"))
    commissions = sum(to_cents(p.commission) for p in ShopPayout.objects.all())
    assert ShopPayout.objects.filter(status="transferred").count() == 2
    assert ShopRefund.objects.filter(status="refunded").count() == 1
    assert transfers + commissions + refunds == charge["amount"] == payment.amount_cents


def test_merchant_sees_gross_commission_and_net_of_a_shop_order(settings):
    settings.DIGITAIX_COMMISSION_RATE = "0.05"
    order = order_place((_product(price="0.99"), 3))

    share = selectors.shop_order_share(shop_order=order.shop_orders.get())

    assert (share.gross, share.commission, share.net) == (
        Decimal("2.97"),
        Decimal("0.15"),
        Decimal("2.82"),
    )
    assert share.rate == Decimal("0.05")


def test_periodic_payment_jobs_are_registered_celery_tasks(settings):
    from digitaix.celery import app

    # What a worker does as it starts (autodiscovery is lazy): otherwise the answer depended
    # on whether an earlier test of the same process had imported every app's tasks.
    app.loader.import_default_modules()
    names = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    app.loader.import_default_modules()  # what a worker does: every app's tasks module

    assert {"orders.tasks.expire_stale_checkouts", "orders.tasks.retry_pending_payouts"} <= names
    assert names <= set(app.tasks)


def test_refusing_a_card_paid_shop_order_refunds_it_once_committed(
    stripe_on, django_capture_on_commit_callbacks, eager_celery
):
    order, payment = card_order((_product(price="4.20"), 1))
    _paid(stripe_on, payment)

    with django_capture_on_commit_callbacks(execute=True):
        _walk(order.shop_orders.get(), S.REFUSED, reason="Fermé")

    assert ShopRefund.objects.get().status == ShopRefund.Status.REFUNDED
    assert [r["amount"] for r in stripe_on.all("refund")] == [420]
