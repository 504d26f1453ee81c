"""The Stripe client against a local fake of Stripe's HTTP API (real stripe-python, real HTTP)."""

import json
import time
import urllib.error
import urllib.request
from decimal import Decimal

import pytest
import stripe

from orders.payments import stripe_client as client
from orders.payments.money import commission_split, to_cents
from orders.payments.stripe_client import CheckoutLine, WebhookRejected
from tests.fakes.stripe_server import sign_webhook

pytest_plugins = ["tests.fakes.stripe_server"]

WEBHOOK_SECRET = "whsec_test_digitaix"


def _checkout(fake, lines, reference="DGX-1001"):
    session_id, _ = client.checkout_session_create(
        reference=reference,
        lines=lines,
        success_url="https://digitaix.localhost/commande/merci/",
        cancel_url="https://digitaix.localhost/panier/",
        customer_email="habitant@digitaix.localhost",
        metadata={"basket": "42"},
    )
    fake.checkout_session_pay(session_id)
    return client.checkout_session_retrieve(session_id=session_id)


def _shop_account(fake, name="Fromagerie"):
    account_id = client.connected_account_create(email=f"{name}@shop.localhost", shop_name=name)
    fake.account_complete_onboarding(account_id)
    return account_id


def test_checkout_session_opens_with_basket_total_and_reference(fake_stripe):
    lines = [
        CheckoutLine(name="Tomme de Savoie", unit_price=Decimal("18.50"), quantity=2),
        CheckoutLine(name="Pain de campagne", unit_price=Decimal("3.35"), quantity=1),
    ]
    session_id, url = client.checkout_session_create(
        reference="DGX-1001",
        lines=lines,
        success_url="https://digitaix.localhost/ok/",
        cancel_url="https://digitaix.localhost/ko/",
        customer_email="habitant@digitaix.localhost",
        metadata={"basket": "42"},
    )

    session = fake_stripe.objects[session_id]
    assert url.startswith(fake_stripe.base_url) and session_id in url
    assert session["amount_total"] == 4035
    assert session["currency"] == "eur"
    assert session["client_reference_id"] == "DGX-1001"
    assert session["metadata"] == {"reference": "DGX-1001", "basket": "42"}
    assert session["customer_email"] == "habitant@digitaix.localhost"


def test_unpaid_checkout_session_is_not_paid_and_has_no_charge(fake_stripe):
    session_id, _ = client.checkout_session_create(
        reference="DGX-1",
        lines=[CheckoutLine(name="Miel", unit_price=Decimal("9.90"), quantity=1)],
        success_url="https://digitaix.localhost/ok/",
        cancel_url="https://digitaix.localhost/ko/",
    )

    state = client.checkout_session_retrieve(session_id=session_id)

    assert state.paid is False
    assert state.payment_intent_id is None and state.charge_id is None
    assert state.amount_total == Decimal("9.90")


def test_paid_checkout_session_gives_its_payment_intent_and_charge(fake_stripe):
    state = _checkout(fake_stripe, [CheckoutLine("Miel", Decimal("9.90"), 3)])

    intent = fake_stripe.objects[state.payment_intent_id]
    assert state.paid is True
    assert state.reference == "DGX-1001"
    assert state.amount_total == Decimal("29.70")
    assert state.charge_id == intent["latest_charge"]
    assert intent["transfer_group"] == "DGX-1001"
    assert stripe.PaymentIntent.retrieve(state.payment_intent_id).amount == 2970


def test_checkout_with_sub_cent_price_is_refused_before_calling_stripe(fake_stripe):
    with pytest.raises(ValueError, match="fraction of a cent"):
        client.checkout_session_create(
            reference="DGX-2",
            lines=[CheckoutLine(name="Vrac", unit_price=Decimal("1.005"), quantity=1)],
            success_url="https://digitaix.localhost/ok/",
            cancel_url="https://digitaix.localhost/ko/",
        )
    assert fake_stripe.requests == []


def test_connected_account_is_not_ready_until_onboarding_is_complete(fake_stripe):
    account_id = client.connected_account_create(email="a@shop.localhost", shop_name="Boulangerie")

    before = client.account_status(account_id=account_id)
    fake_stripe.account_complete_onboarding(account_id)
    after = client.account_status(account_id=account_id)

    assert account_id.startswith("acct_")
    assert fake_stripe.objects[account_id]["business_profile"] == {"name": "Boulangerie"}
    assert not before.ready and not before.charges_enabled and not before.details_submitted
    assert after.ready and after.charges_enabled and after.payouts_enabled


def test_account_link_leads_to_the_shops_onboarding(fake_stripe):
    account_id = client.connected_account_create(email="a@shop.localhost", shop_name="Cave")

    url = client.account_link_create(
        account_id=account_id,
        refresh_url="https://digitaix.localhost/stripe/refresh/",
        return_url="https://digitaix.localhost/stripe/retour/",
    )

    assert url.startswith(f"{fake_stripe.base_url}/onboarding/{account_id}/")


def test_transfer_pays_the_shop_from_the_charge_within_the_order_group(fake_stripe):
    state = _checkout(fake_stripe, [CheckoutLine("Tomme", Decimal("18.50"), 1)])
    account_id = _shop_account(fake_stripe)

    transfer_id = client.transfer_create(
        amount=Decimal("17.02"),
        account_id=account_id,
        transfer_group="DGX-1001",
        source_charge=state.charge_id,
        idempotency_key="transfer-DGX-1001-shop-7",
    )

    transfer = fake_stripe.objects[transfer_id]
    assert transfer["amount"] == 1702 and transfer["currency"] == "eur"
    assert transfer["destination"] == account_id
    assert (transfer["transfer_group"], transfer["source_transaction"]) == (
        "DGX-1001",
        state.charge_id,
    )


def test_transfer_retried_with_the_same_idempotency_key_pays_only_once(fake_stripe):
    state = _checkout(fake_stripe, [CheckoutLine("Tomme", Decimal("18.50"), 1)])
    account_id = _shop_account(fake_stripe)
    kwargs = dict(
        amount=Decimal("10.00"),
        account_id=account_id,
        transfer_group="DGX-1001",
        source_charge=state.charge_id,
        idempotency_key="transfer-DGX-1001-shop-7",
    )

    first = client.transfer_create(**kwargs)
    second = client.transfer_create(**kwargs)

    assert first == second
    assert len(fake_stripe.all("transfer")) == 1


def test_idempotency_key_reused_with_other_amount_is_refused(fake_stripe):
    state = _checkout(fake_stripe, [CheckoutLine("Tomme", Decimal("18.50"), 1)])
    account_id = _shop_account(fake_stripe)
    common = dict(account_id=account_id, transfer_group="G", source_charge=state.charge_id)
    client.transfer_create(amount=Decimal("1.00"), idempotency_key="k", **common)

    with pytest.raises(stripe.IdempotencyError):
        client.transfer_create(amount=Decimal("2.00"), idempotency_key="k", **common)


def test_transfer_to_a_shop_not_onboarded_is_refused(fake_stripe):
    state = _checkout(fake_stripe, [CheckoutLine("Tomme", Decimal("18.50"), 1)])
    account_id = client.connected_account_create(email="a@shop.localhost", shop_name="Cave")

    with pytest.raises(stripe.InvalidRequestError, match="capabilities"):
        client.transfer_create(
            amount=Decimal("5.00"),
            account_id=account_id,
            transfer_group="DGX-1001",
            source_charge=state.charge_id,
            idempotency_key="t-1",
        )


def test_transfers_beyond_the_charge_they_come_from_are_refused(fake_stripe):
    state = _checkout(fake_stripe, [CheckoutLine("Tomme", Decimal("18.50"), 1)])
    account_id = _shop_account(fake_stripe)
    common = dict(account_id=account_id, transfer_group="G", source_charge=state.charge_id)
    client.transfer_create(amount=Decimal("18.00"), idempotency_key="t-1", **common)

    with pytest.raises(stripe.InvalidRequestError, match="exceed"):
        client.transfer_create(amount=Decimal("0.51"), idempotency_key="t-2", **common)


def test_partial_refunds_add_up_on_the_charge(fake_stripe):
    state = _checkout(fake_stripe, [CheckoutLine("Tomme", Decimal("18.50"), 2)])

    client.refund_create(
        payment_intent=state.payment_intent_id, amount=Decimal("10.00"), idempotency_key="r-1"
    )
    refund_id = client.refund_create(
        payment_intent=state.payment_intent_id, amount=Decimal("27.00"), idempotency_key="r-2"
    )

    charge = fake_stripe.objects[state.charge_id]
    assert fake_stripe.objects[refund_id]["amount"] == 2700
    assert charge["amount_refunded"] == 3700 and charge["refunded"] is True


def test_refund_larger_than_the_charge_is_refused_with_a_clear_error(fake_stripe):
    state = _checkout(fake_stripe, [CheckoutLine("Tomme", Decimal("18.50"), 1)])

    with pytest.raises(stripe.InvalidRequestError) as refused:
        client.refund_create(
            payment_intent=state.payment_intent_id, amount=Decimal("18.51"), idempotency_key="r"
        )

    assert refused.value.http_status == 400
    assert refused.value.code == "amount_too_large"
    assert "greater than unrefunded amount" in refused.value.user_message
    assert fake_stripe.objects[state.charge_id]["amount_refunded"] == 0


def test_three_shop_order_transfers_commissions_and_refund_add_up_to_the_charge(fake_stripe):
    shop_lines = {
        1: [
            CheckoutLine("Tomme", Decimal("18.55"), 2),
            CheckoutLine("Beaufort", Decimal("7.13"), 1),
        ],
        2: [CheckoutLine("Baguette", Decimal("1.15"), 3)],
        3: [CheckoutLine("Vin de Savoie", Decimal("11.99"), 1)],
    }
    lines = [line for shop in shop_lines.values() for line in shop]
    state = _checkout(fake_stripe, lines, reference="DGX-2001")
    totals = {
        shop: sum((line.unit_price * line.quantity for line in shop_lines[shop]), Decimal(0))
        for shop in shop_lines
    }
    splits = commission_split(shop_totals=totals, rate=Decimal("0.085"))

    for shop in (1, 2):
        client.transfer_create(
            amount=splits[shop].transfer,
            account_id=_shop_account(fake_stripe, f"shop{shop}"),
            transfer_group=state.reference,
            source_charge=state.charge_id,
            idempotency_key=f"transfer-{state.reference}-{shop}",
        )
    client.refund_create(
        payment_intent=state.payment_intent_id,
        amount=totals[3],
        idempotency_key=f"refund-{state.reference}-3",
    )

    charge = fake_stripe.objects[state.charge_id]
    transferred = sum(t["amount"] for t in fake_stripe.all("transfer"))
    refunded = sum(r["amount"] for r in fake_stripe.all("refund"))
    commissions = to_cents(splits[1].commission + splits[2].commission)
    assert charge["amount"] == to_cents(state.amount_total) == 5967
    assert transferred + commissions + refunded == charge["amount"]
    assert refunded == charge["amount_refunded"] == 1199


def _event_payload() -> bytes:
    event = {
        "id": "evt_test_1",
        "object": "event",
        "type": "checkout.session.completed",
        "data": {"object": {"id": "cs_test_1", "object": "checkout.session"}},
    }
    return json.dumps(event).encode()


def test_correctly_signed_webhook_is_accepted(settings):
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    payload = _event_payload()

    event = client.webhook_event_construct(
        payload=payload, signature=sign_webhook(payload, WEBHOOK_SECRET)
    )

    assert event.type == "checkout.session.completed"
    assert event.data.object.id == "cs_test_1"


@pytest.mark.parametrize(
    ("tamper", "secret", "age"),
    [
        pytest.param(True, WEBHOOK_SECRET, 0, id="tampered-payload"),
        pytest.param(False, "whsec_someone_else", 0, id="wrong-secret"),
        pytest.param(False, WEBHOOK_SECRET, 301, id="stale-timestamp"),
    ],
)
def test_webhook_not_signed_by_stripe_just_now_is_rejected(settings, tamper, secret, age):
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    payload = _event_payload()
    signature = sign_webhook(payload, secret, timestamp=int(time.time()) - age)
    if tamper:
        payload = payload.replace(b"cs_test_1", b"cs_test_2")

    with pytest.raises(WebhookRejected, match="Invalid Stripe signature"):
        client.webhook_event_construct(payload=payload, signature=signature)


def test_webhook_without_a_signature_header_is_rejected(settings):
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET

    with pytest.raises(WebhookRejected):
        client.webhook_event_construct(payload=_event_payload(), signature="")


def test_fake_stripe_refuses_a_request_without_api_key(fake_stripe):
    request = urllib.request.Request(f"{fake_stripe.base_url}/v1/accounts/acct_1")

    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)

    assert refused.value.code == 401
    body = json.loads(refused.value.read())
    assert body["error"]["type"] == "invalid_request_error"
    assert "API key" in body["error"]["message"]


def test_client_with_a_wrong_secret_key_gets_an_authentication_error(fake_stripe, settings):
    settings.STRIPE_SECRET_KEY = "sk_test_not_ours_12345"

    with pytest.raises(stripe.AuthenticationError, match="Invalid API Key"):
        client.connected_account_create(email="a@shop.localhost", shop_name="Cave")
    assert fake_stripe.all("account") == []


def test_retrieving_an_unknown_session_is_a_stripe_shaped_not_found(fake_stripe):
    with pytest.raises(stripe.InvalidRequestError) as missing:
        client.checkout_session_retrieve(session_id="cs_test_nope")

    assert missing.value.http_status == 404
    assert missing.value.code == "resource_missing"
