"""With Redis down, every action that sends an e-mail answers at once and loses nothing.

The broker is pointed at a closed port (no mock: the real hand-over is refused), Celery not
eager. Each action must answer quickly, without a 500, its e-mail waiting in the outbox;
once Redis is back (tasks run in-process here; tests/integration/test_outbox.py does it with
a real worker on PostgreSQL) the relay sends each e-mail exactly once.
"""

import datetime
import os
import re
import socket
import threading
import time
from contextlib import contextmanager

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from catalog.services import image_renditions_catch_up, search_refresh_catch_up
from digitaix.celery import app
from messaging.models import OutboxMessage
from messaging.services import message_relay
from orders.models import ShopOrder
from orders.services import shop_order_transition
from tests.accounts import APPROVE_DESPITE_GAPS
from tests.celery_worker import CLOSED_PORT, broker_use
from tests.checkout import basket_fill, checkout_to_preview, order_place
from tests.factories import (
    ProductFactory,
    ShopFactory,
    StockRecordFactory,
    category_create,
    commerce_staff_create,
    merchant_create,
    product_offered,
    week_hours,
)
from tests.pages import picture

pytestmark = pytest.mark.django_db
User = get_user_model()
Partner = get_model("partner", "Partner")
Product = get_model("catalogue", "Product")
SearchRefresh = get_model("catalogue", "SearchRefresh")
ProductImage = get_model("catalogue", "ProductImage")
BOUND_SECONDS = 3  # the broker's connection timeout is 2 s; a refused port answers at once


@pytest.fixture(autouse=True)
def broker_down(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    saved_env = os.environ.get("CELERY_BROKER_URL")
    broker_use(CLOSED_PORT)
    yield
    broker_use(saved["broker_url"] or "memory://")
    if saved_env is None:
        os.environ.pop("CELERY_BROKER_URL", None)
    else:
        os.environ["CELERY_BROKER_URL"] = saved_env
    app.conf.update(saved)


@contextmanager
def answers_at_once(django_capture_on_commit_callbacks):
    """The action commits (its after-commit hand-over runs) within the bound."""
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        yield
    elapsed = time.monotonic() - started
    assert elapsed < BOUND_SECONDS, f"the request waited {elapsed:.1f} s for the broker"


def sent_once_redis_back(kind: str | tuple, mailoutbox, count: int = 1) -> list:
    """The action's e-mails wait unsent; once Redis is back the relay sends each once."""
    rows = OutboxMessage.objects.filter(kind__in=[kind] if isinstance(kind, str) else kind)
    assert rows.count() == count and not rows.filter(sent_at__isnull=False).exists()
    assert mailoutbox == []
    assert message_relay() == 0  # still down: nothing handed over, nothing lost
    app.conf.task_always_eager = True  # Redis is back (the worker's side, in-process)
    assert message_relay() == count
    assert message_relay() == 0
    assert list(rows.values_list("attempts", flat=True)) == [1] * count
    assert len(mailoutbox) == count
    return list(mailoutbox)


def test_signup(client, mailoutbox, django_capture_on_commit_callbacks):
    data = {
        "first_name": "Élise",
        "last_name": "Martin",
        "email": "elise@example.fr",
        "password1": "fromage-de-savoie-42",
        "password2": "fromage-de-savoie-42",
        "name": "Fromagerie du Lac",
        "trade": "fromagerie",
        "siret": "732 829 320 00074",
        "address_line": "3 place du Marché",
        "postcode": "74000",
        "city": "Annecy",
        "phone": "04 50 00 00 00",
        "offers_click_collect": "on",
    }
    with answers_at_once(django_capture_on_commit_callbacks):
        response = client.post(reverse("merchant-signup"), data)
    assert response.status_code == 302 and Partner.objects.get().status == "pending"
    # The shop's e-mail and the link proving the address (accounts.verification).
    mails = sent_once_redis_back(("shop_created", "email_verify"), mailoutbox, count=2)
    assert all(mail.to == ["elise@example.fr"] for mail in mails)
    assert any("en attente de validation" in mail.subject for mail in mails)


def test_shop_moderation(client, mailoutbox, django_capture_on_commit_callbacks):
    shop = ShopFactory(name="Fleurs d'Élise", status="pending")
    merchant_create(shop, email="elise@example.fr")
    client.force_login(commerce_staff_create())
    url = reverse("moderation:shop", kwargs={"pk": shop.pk})
    with answers_at_once(django_capture_on_commit_callbacks):
        response = client.post(url, {"action": "approve", **APPROVE_DESPITE_GAPS})
    assert response.status_code == 302 and Partner.objects.get(pk=shop.pk).status == "live"
    (mail,) = sent_once_redis_back("shop_moderated", mailoutbox)
    assert mail.to == ["elise@example.fr"] and "est en ligne" in mail.subject


def test_product_withdrawal(client, mailoutbox, django_capture_on_commit_callbacks):
    shop = ShopFactory(name="Épicerie Sophie")
    merchant_create(shop, email="sophie@example.fr")
    jam = product_offered(title="Confiture d'abricot", shop=shop)
    client.force_login(commerce_staff_create())
    url = reverse("moderation:product", kwargs={"pk": jam.pk})
    with answers_at_once(django_capture_on_commit_callbacks):
        response = client.post(url, {"action": "withdraw", "reason": "Rappel"})
    assert response.status_code == 302
    (mail,) = sent_once_redis_back("product_moderated", mailoutbox)
    assert mail.to == ["sophie@example.fr"] and "Rappel" in mail.body


def test_team_invitation_then_the_newcomer_sets_a_password(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    shop = ShopFactory(name="Fromagerie du Lac")
    client.force_login(merchant_create(shop, email="owner@example.fr", role="owner"))
    url = reverse("merchant:team", kwargs={"slug": shop.code})
    with answers_at_once(django_capture_on_commit_callbacks):
        response = client.post(url, {"email": "nouveau@example.fr"})
    assert response.status_code == 302
    (mail,) = sent_once_redis_back("team_invitation", mailoutbox)
    link = re.search(r"https?://[^/\s]+(/\S+/)", mail.body).group(1)
    client.logout()
    assert 'name="password1"' in client.get(link).content.decode()
    password = "fromage-de-savoie-42"
    done = client.post(link, {"action": "accept", "password1": password, "password2": password})
    assert done.status_code == 302
    assert User.objects.get(email="nouveau@example.fr").check_password(password)


def test_password_reset(client, mailoutbox, django_capture_on_commit_callbacks):
    User.objects.create_user("h", "habitant@example.fr", "un-mot-de-passe-42")
    with answers_at_once(django_capture_on_commit_callbacks):
        response = client.post(reverse("password-reset"), {"email": "habitant@example.fr"})
    assert response.status_code == 302
    (mail,) = sent_once_redis_back("rendered", mailoutbox)
    assert mail.to == ["habitant@example.fr"] and "/password-reset/confirm/" in mail.body


def test_password_reset_from_the_dashboard(client, mailoutbox, django_capture_on_commit_callbacks):
    resident = User.objects.create_user("h", "habitant@example.fr", "un-mot-de-passe-42")
    client.force_login(User.objects.create_superuser("a", "admin@example.fr", "x" * 12))
    url = reverse("dashboard:user-password-reset", kwargs={"pk": resident.pk})
    with answers_at_once(django_capture_on_commit_callbacks):
        response = client.post(url)
    assert response.status_code == 302
    (mail,) = sent_once_redis_back("rendered", mailoutbox)
    assert mail.to == ["habitant@example.fr"] and "/password-reset/confirm/" in mail.body


def test_checkout_and_a_status_change(client, mailoutbox, django_capture_on_commit_callbacks):
    shop = ShopFactory(name="Fromagerie du Lac", email="fromagerie@example.fr")
    week_hours(shop)
    cheesemonger = merchant_create(shop)
    comte = product_offered(title="Comté 18 mois", shop=shop, price="6.90")
    client.force_login(User.objects.create_user("c", "camille@example.fr", "x" * 12))
    basket_fill(client, comte)
    preview = checkout_to_preview(client)
    with answers_at_once(django_capture_on_commit_callbacks):
        placed = order_place(client, preview)
    assert placed.status_code == 302 and placed["Location"].endswith("/checkout/thank-you/")
    with answers_at_once(django_capture_on_commit_callbacks):
        shop_order_transition(
            shop_order=ShopOrder.objects.get(), to_status="accepted", by=cheesemonger
        )
    assert mailoutbox == [] and OutboxMessage.objects.filter(sent_at=None).count() == 3
    app.conf.task_always_eager = True  # Redis is back
    assert message_relay() == 3 and message_relay() == 0
    assert sorted(m.to[0] for m in mailoutbox) == [
        "camille@example.fr",
        "camille@example.fr",
        "fromagerie@example.fr",
    ]


# --- Follow-ups that are not e-mails: the search columns, the photos' renditions -----------


def refreshed_once_redis_back(count: int) -> None:
    """The products wait, marked; the catch-up (beat) refreshes them once, later."""
    assert SearchRefresh.objects.count() == count
    assert search_refresh_catch_up() == 0  # too recent: their own task may still come
    SearchRefresh.objects.update(marked_at=timezone.now() - datetime.timedelta(minutes=3))
    assert search_refresh_catch_up() == count
    assert search_refresh_catch_up() == 0 and not SearchRefresh.objects.exists()


def test_product_save_then_its_search_refresh(client, django_capture_on_commit_callbacks):
    shop = ShopFactory()
    offer = StockRecordFactory(partner=shop, product=ProductFactory(title="Tomme"))
    product = Product.objects.get(pk=offer.product_id)
    product.categories.add(category_create("Crèmerie"))
    SearchRefresh.objects.all().delete()
    client.force_login(merchant_create(shop))
    url = reverse("merchant:product-edit", kwargs={"slug": shop.code, "pk": offer.pk})
    form = client.get(url).context["form"]
    data = {f.html_name: f.value() for f in form if f.value() not in (None, False, "")}
    data.pop("photo", None)
    data["title"] = "Reblochon fermier"
    with answers_at_once(django_capture_on_commit_callbacks):
        response = client.post(url, data)
    assert response.status_code == 302
    assert "reblochon" not in Product.objects.get(pk=product.pk).search_text
    refreshed_once_redis_back(1)
    assert "reblochon fermier" in Product.objects.get(pk=product.pk).search_text


def test_csv_import_then_its_search_refresh(client, django_capture_on_commit_callbacks):
    shop = ShopFactory()
    client.force_login(merchant_create(shop))
    content = "sku;titre;prix;stock\nA;Pâté en croûte;6,90;4\nB;Beaufort d'été;24;2\n"
    upload = SimpleUploadedFile("offres.csv", content.encode(), content_type="text/csv")
    url = reverse("merchant:csv-import", kwargs={"slug": shop.code})
    with answers_at_once(django_capture_on_commit_callbacks):
        response = client.post(url, {"file": upload})
    assert response.status_code == 302 and Product.objects.count() == 2
    refreshed_once_redis_back(2)
    texts = sorted(Product.objects.values_list("search_text", flat=True))
    assert texts == ["beaufort d ete", "pate en croute"]


def test_product_photo_then_its_renditions(client, django_capture_on_commit_callbacks):
    """The photo is saved at once; the lists show its original until the catch-up (beat),
    once Redis is back, makes its renditions."""
    shop = ShopFactory()
    offer = StockRecordFactory(partner=shop, product=ProductFactory(title="Tomme"))
    client.force_login(merchant_create(shop))
    url = reverse("merchant:product-edit", kwargs={"slug": shop.code, "pk": offer.pk})
    form = client.get(url).context["form"]
    data = {f.html_name: f.value() for f in form if f.value() not in (None, False, "")}
    data["photo"] = picture("JPEG", (1600, 1200), name="tomme.jpg")
    with answers_at_once(django_capture_on_commit_callbacks):
        response = client.post(url, data)
    assert response.status_code == 302
    image = ProductImage.objects.get()
    assert image.renditions_of == "" and image.renditions == []  # never handed over
    app.conf.task_always_eager = True  # Redis is back
    assert image_renditions_catch_up() == (1, 0)
    assert image_renditions_catch_up() == (0, 0)
    assert ProductImage.objects.get().renditions == [[400, 400, 300], [800, 800, 600]]


# --- A Redis that accepts connections but never answers (frozen) ----------------------------


@pytest.fixture
def silent_redis():
    """A port that accepts connections and never answers; its URL."""
    server = socket.create_server(("127.0.0.1", 0))
    accepted = []

    def accept() -> None:
        while True:
            try:
                accepted.append(server.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    server.close()
    for connection in accepted:
        connection.close()


def test_a_frozen_redis_holds_a_request_no_longer_than_the_socket_timeout(
    client, silent_redis, mailoutbox, django_capture_on_commit_callbacks
):
    broker_use(silent_redis)
    shop = ShopFactory(name="Fleurs d'Élise", status="pending")
    merchant_create(shop, email="elise@example.fr")
    client.force_login(commerce_staff_create())
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("moderation:shop", kwargs={"pk": shop.pk}),
            {"action": "approve", **APPROVE_DESPITE_GAPS},
        )
    elapsed = time.monotonic() - started
    assert response.status_code == 302
    assert elapsed < 5, f"a frozen Redis held the request {elapsed:.1f} s"  # 2 s socket timeout
    sent_once_redis_back("shop_moderated", mailoutbox)
