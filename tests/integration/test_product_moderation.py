"""The town withdraws a product from the portal (whatever shop offers it), or restores it."""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from oscar.core.loading import get_model

from catalog import selectors as catalog_selectors
from messaging.models import OutboxMessage
from messaging.services import message_send
from shops.services import product_moderate
from tests.factories import ShopFactory, commerce_staff_create, merchant_create, product_offered

pytestmark = pytest.mark.django_db
Product = get_model("catalogue", "Product")
ProductModerationEvent = get_model("partner", "ProductModerationEvent")


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def staff():
    return commerce_staff_create()


@pytest.fixture
def offered():
    """A product two shops offer; one merchant works for both, each shop has its own too."""
    lac, marche = ShopFactory(name="Fromagerie du Lac"), ShopFactory(name="Halle du Marché")
    product = product_offered(title="Tomme aux fleurs", shop=lac)
    product.stockrecords.create(partner=marche, price="5.00", num_in_stock=3)
    merchant_create(lac, email="lac@example.fr")
    merchant_create(marche, email="marche@example.fr")
    merchant_create(lac, marche, email="gerant@example.fr")
    merchant_create(ShopFactory(name="Sans rapport"), email="ailleurs@example.fr")
    return product


def is_public(product) -> bool:
    return Product.objects.get(pk=product.pk).is_public


def test_withdrawing_hides_the_product_logs_it_and_emails_each_merchant_once(
    staff, offered, mailoutbox, eager_celery, django_capture_on_commit_callbacks
):
    assert catalog_selectors.products_on_sale().filter(pk=offered.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        event = product_moderate(
            product=offered, by=staff, action="withdraw", reason="  Rappel sanitaire  "
        )
    assert not is_public(offered)
    assert not catalog_selectors.products_on_sale().filter(pk=offered.pk).exists()
    assert (event.actor, event.action, event.reason) == (staff, "withdraw", "Rappel sanitaire")
    by_recipient = {tuple(m.to): m for m in mailoutbox}
    assert set(by_recipient) == {
        ("gerant@example.fr",),
        ("lac@example.fr",),
        ("marche@example.fr",),
    }
    both = by_recipient[("gerant@example.fr",)]
    assert "Fromagerie du Lac" in both.body and "Halle du Marché" in both.body
    only_lac = by_recipient[("lac@example.fr",)]
    assert "Halle du Marché" not in only_lac.body and "Rappel sanitaire" in only_lac.body
    assert "Tomme aux fleurs" in only_lac.subject and "retiré" in only_lac.subject
    assert only_lac.alternatives[0][1] == "text/html"
    event.refresh_from_db()
    assert event.notified_at is not None
    assert not any(
        message_send(message_id=pk) for pk in OutboxMessage.objects.values_list("pk", flat=True)
    )  # a retried task sends nothing
    assert len(mailoutbox) == 3


def test_restoring_puts_the_product_back(
    staff, offered, mailoutbox, eager_celery, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        product_moderate(product=offered, by=staff, action="withdraw", reason="Erreur")
        product_moderate(product=offered, by=staff, action="restore")
    assert is_public(offered)
    assert catalog_selectors.products_on_sale().filter(pk=offered.pk).exists()
    actions = list(ProductModerationEvent.objects.values_list("action", flat=True))
    assert actions == ["restore", "withdraw"]
    assert len(mailoutbox) == 6
    assert "de nouveau en ligne" in mailoutbox[-1].subject


def test_a_withdrawal_needs_a_reason(staff, offered, mailoutbox):
    with pytest.raises(ValidationError) as error:
        product_moderate(product=offered, by=staff, action="withdraw", reason="   ")
    assert "motif" in error.value.messages[0]
    assert is_public(offered) and not ProductModerationEvent.objects.exists()


@pytest.mark.parametrize(("public", "action"), [(False, "withdraw"), (True, "restore")])
def test_a_decision_that_changes_nothing_is_refused(staff, offered, public, action):
    Product.objects.filter(pk=offered.pk).update(is_public=public)
    with pytest.raises(ValidationError) as error:
        product_moderate(product=offered, by=staff, action=action, reason="motif")
    assert "retiré" in error.value.messages[0]
    assert is_public(offered) is public and not ProductModerationEvent.objects.exists()


def test_no_email_when_the_transaction_is_rolled_back(
    staff, offered, mailoutbox, eager_celery, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            product_moderate(product=offered, by=staff, action="withdraw", reason="Rappel")
            raise RuntimeError("something later failed")
    assert is_public(offered) and mailoutbox == []


def test_a_product_no_merchant_can_read_is_logged_as_notified_without_email(
    staff, mailoutbox, eager_celery, django_capture_on_commit_callbacks
):
    product = product_offered(title="Orphelin")
    with django_capture_on_commit_callbacks(execute=True):
        event = product_moderate(product=product, by=staff, action="withdraw", reason="Doublon")
    event.refresh_from_db()
    assert event.notified_at is not None and mailoutbox == []
