"""The town's decisions on a shop: status workflow, audit log, one e-mail after commit."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from oscar.core.loading import get_model

from messaging.models import OutboxMessage
from messaging.services import message_send
from shops.services import shop_moderate
from tests.factories import OpeningHoursFactory, ShopFactory, product_offered

pytestmark = pytest.mark.django_db
Partner = get_model("partner", "Partner")
ModerationEvent = get_model("partner", "ModerationEvent")


@pytest.fixture
def staff():
    return get_user_model().objects.create_user("mairie", "mairie@example.fr", "x" * 12)


@pytest.fixture
def pending_shop():
    """A pending shop ready to open: a product on sale, hours, click & collect."""
    merchant = get_user_model().objects.create_user("m", "marchand@example.fr", "x" * 12)
    shop = ShopFactory(name="Fleurs d'Élise", status="pending", users=[merchant])
    product_offered(title="Bouquet", shop=shop)
    OpeningHoursFactory(shop=shop)
    return shop


def test_approving_puts_the_shop_online_logs_it_and_tells_the_merchant_once(
    staff, pending_shop, eager_celery, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        event = shop_moderate(shop=pending_shop, by=staff, action="approve")
    pending_shop.refresh_from_db()
    assert pending_shop.status == "live" and pending_shop.status_changed_at
    assert (event.actor, event.action, event.shop) == (staff, "approve", pending_shop)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["marchand@example.fr"]
    assert "est en ligne" in message.subject and "Fleurs d'Élise" in message.body
    assert message.alternatives[0][1] == "text/html"
    assert not any(
        message_send(message_id=pk) for pk in OutboxMessage.objects.values_list("pk", flat=True)
    )  # a retried task sends nothing
    assert len(mail.outbox) == 1


def test_reject_and_suspend_need_a_reason_that_reaches_the_merchant(
    staff, pending_shop, eager_celery, django_capture_on_commit_callbacks
):
    with pytest.raises(ValidationError) as error:
        shop_moderate(shop=pending_shop, by=staff, action="reject", reason="  ")
    assert "motif" in error.value.messages[0]
    pending_shop.refresh_from_db()
    assert pending_shop.status == "pending" and not ModerationEvent.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        shop_moderate(shop=pending_shop, by=staff, action="reject", reason="SIRET inconnu")
    pending_shop.refresh_from_db()
    assert pending_shop.status == "rejected" and pending_shop.status_reason == "SIRET inconnu"
    assert "SIRET inconnu" in mail.outbox[0].body


def test_suspend_then_reinstate(staff, eager_celery, django_capture_on_commit_callbacks):
    shop = ShopFactory()
    with django_capture_on_commit_callbacks(execute=True):
        shop_moderate(shop=shop, by=staff, action="suspend", reason="Produits interdits")
        shop_moderate(shop=shop, by=staff, action="reinstate")
    shop.refresh_from_db()
    assert shop.status == "live" and shop.status_reason == ""
    actions = list(ModerationEvent.objects.values_list("action", "reason"))
    assert actions == [("reinstate", ""), ("suspend", "Produits interdits")]


@pytest.mark.parametrize(
    ("status", "action"),
    [("live", "approve"), ("live", "reinstate"), ("pending", "suspend"), ("rejected", "reject")],
)
def test_a_decision_that_makes_no_sense_is_refused_and_changes_nothing(staff, status, action):
    shop = ShopFactory(status=status)
    with pytest.raises(ValidationError) as error:
        shop_moderate(shop=shop, by=staff, action=action, reason="motif")
    assert "impossible" in error.value.messages[0]
    shop.refresh_from_db()
    assert shop.status == status and not ModerationEvent.objects.exists()


def test_no_email_when_the_transaction_is_rolled_back(
    staff, pending_shop, eager_celery, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            shop_moderate(shop=pending_shop, by=staff, action="approve")
            raise RuntimeError("something later failed")
    pending_shop.refresh_from_db()
    assert pending_shop.status == "pending" and mail.outbox == []
