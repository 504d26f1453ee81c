"""The town's moderation screens: the queue, a shop's file and its decisions, the audit log.

Only the commerce staff (the COMMERCE_STAFF_GROUP group, or a superuser) open them; a
decision that makes no sense or lacks its reason is refused with a French message and changes
nothing; the merchant is told once, after commit.
"""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.timezone import localtime
from oscar.core.loading import get_model

from shops.dashboard.moderation import ModerationQueueView
from tests.factories import (
    ShopFactory,
    commerce_staff_create,
    merchant_create,
    product_offered,
)

pytestmark = pytest.mark.django_db
Partner = get_model("partner", "Partner")
ModerationEvent = get_model("partner", "ModerationEvent")
ProductModerationEvent = get_model("partner", "ProductModerationEvent")
User = get_user_model()

QUEUE = reverse("moderation:queue")
LOG = reverse("moderation:log")


def shop_url(shop) -> str:
    return reverse("moderation:shop", kwargs={"pk": shop.pk})


@pytest.fixture(autouse=True)
def _tasks_run_in_process(eager_celery):
    """The e-mails go through Celery: run its tasks here even with a broker configured."""


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    """Every merchant account hashes a password; PBKDF2 would make the 100-row test crawl."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def staff():
    return commerce_staff_create()


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def pending():
    shop = ShopFactory(name="Fleurs d'Élise", status="pending", city="Aix-les-Bains")
    shop.siret = "73282932000074"
    shop.save()
    merchant_create(shop, email="elise@example.fr")
    return shop


def decide(client, shop, action, reason="", confirm=False):
    """Post one decision; `confirm`: tick "Je confirme malgré : …" for every gap."""
    data = {"action": action, "reason": reason}
    if confirm:
        data.update(confirm="on", gaps_seen="products hours services")
    return client.post(shop_url(shop), data)


def status_of(shop) -> str:
    return Partner.objects.get(pk=shop.pk).status


# --- The queue ------------------------------------------------------------------------------


def test_queue_lists_pending_shops_oldest_first_with_counts_per_status(staff_client, pending):
    later = ShopFactory(name="Cave Neuve", status="pending")
    ShopFactory(name="Déjà en ligne")
    ShopFactory(name="Suspendue", status="suspended")
    response = staff_client.get(QUEUE)
    assert response.status_code == 200
    assert list(response.context["shops"]) == [pending, later]
    counts = {tab["value"]: tab["count"] for tab in response.context["tabs"]}
    assert counts == {"pending": 2, "live": 1, "rejected": 0, "suspended": 1}
    html = response.content.decode()
    for shown in ("Fleurs d&#x27;Élise", "Aix-les-Bains", "73282932000074", "elise@example.fr"):
        assert shown in html
    assert "Déjà en ligne" not in html


def test_queue_filters_by_status_and_says_when_empty(staff_client, pending):
    ShopFactory(name="Suspendue", status="suspended")
    response = staff_client.get(QUEUE, {"statut": "suspended"})
    assert [s.name for s in response.context["shops"]] == ["Suspendue"]
    response = staff_client.get(QUEUE, {"statut": "rejected"})
    assert "Aucune boutique au statut « Refusée »." in response.content.decode()
    response = staff_client.get(QUEUE, {"statut": "n'importe quoi"})
    assert list(response.context["shops"]) == [pending]  # unknown status: the pending ones


def test_queue_is_paginated(staff_client, monkeypatch):
    monkeypatch.setattr(ModerationQueueView, "paginate_by", 2)
    ShopFactory.create_batch(3, status="pending")
    assert len(staff_client.get(QUEUE).context["shops"]) == 2
    assert len(staff_client.get(QUEUE, {"page": 2}).context["shops"]) == 1


def test_shop_page_shows_the_merchants_profile_and_allowed_decisions(staff_client, pending):
    product_offered(title="Bouquet", shop=pending)
    response = staff_client.get(shop_url(pending))
    assert response.status_code == 200
    html = response.content.decode()
    assert "elise@example.fr" in html and "73282932000074" in html
    assert [d["action"] for d in response.context["decisions"]] == ["approve", "reject"]
    assert response.context["shop_object"].offer_count == 1
    assert 'for="id_reject_reason"' in html  # the reason has its label


# --- Decisions through the pages ------------------------------------------------------------


def test_approving_a_pending_shop_puts_it_online_and_tells_the_merchant_once(
    staff_client, pending, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = decide(staff_client, pending, "approve", confirm=True)
    assert response.status_code == 302 and response.url == shop_url(pending)
    assert status_of(pending) == "live"
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["elise@example.fr"]
    page = staff_client.get(response.url).content.decode()
    assert "Décision enregistrée" in page
    directory = staff_client.get(reverse("shops:directory"))
    assert "Fleurs d&#x27;Élise" in directory.content.decode()
    assert ModerationEvent.objects.get().notified_at is not None


def test_rejecting_without_a_reason_is_refused_and_changes_nothing(
    staff_client, pending, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = decide(staff_client, pending, "reject", reason="   ")
    assert response.status_code == 200
    assert "Indiquez le motif" in response.content.decode()
    assert 'id="id_reject_reason_errors"' in response.content.decode()
    assert status_of(pending) == "pending"
    assert not ModerationEvent.objects.exists() and mailoutbox == []


def test_rejecting_with_a_reason(
    staff_client, pending, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        decide(staff_client, pending, "reject", reason="SIRET introuvable")
    shop = Partner.objects.get(pk=pending.pk)
    assert (shop.status, shop.status_reason) == ("rejected", "SIRET introuvable")
    assert len(mailoutbox) == 1 and "SIRET introuvable" in mailoutbox[0].body


def test_a_decision_the_status_does_not_allow_shows_the_services_message(
    staff_client, pending, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = decide(staff_client, pending, "suspend", reason="Pourquoi pas")
    assert response.status_code == 200
    assert "impossible de lui appliquer" in response.content.decode()
    assert status_of(pending) == "pending"
    assert not ModerationEvent.objects.exists() and mailoutbox == []


def test_an_unknown_decision_is_refused(staff_client, pending):
    response = decide(staff_client, pending, "delete")
    assert response.status_code == 200
    assert "Décision inconnue" in response.content.decode()
    assert status_of(pending) == "pending"


def test_suspending_hides_the_shop_but_its_merchant_keeps_the_dashboard(
    client, staff, mailoutbox, django_capture_on_commit_callbacks
):
    shop = ShopFactory(name="Cave du Lac")
    merchant = merchant_create(shop, email="cave@example.fr")
    product = product_offered(title="Vin du Lac", shop=shop)
    storefront = reverse("shops:storefront", kwargs={"slug": shop.code})
    assert client.get(storefront).status_code == 200
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = decide(client, shop, "suspend", reason="Vente d'alcool sans licence")
    assert response.status_code == 302 and status_of(shop) == "suspended"
    assert len(mailoutbox) == 1 and "sans licence" in mailoutbox[0].body
    client.logout()
    assert client.get(storefront).status_code == 404
    assert "Cave du Lac" not in client.get(reverse("shops:directory")).content.decode()
    assert client.get(product.get_absolute_url()).status_code == 404
    client.force_login(merchant)
    profile = reverse("merchant:profile", kwargs={"slug": shop.code})
    assert client.get(profile).status_code == 200
    assert client.get(reverse("space:today", args=[shop.code])).status_code == 200


def test_reinstating_a_suspended_shop_puts_it_back_online(
    staff_client, mailoutbox, django_capture_on_commit_callbacks
):
    shop = ShopFactory(status="suspended", status_reason="Contrôle")
    merchant_create(shop)
    assert [d["action"] for d in staff_client.get(shop_url(shop)).context["decisions"]] == [
        "reinstate"
    ]
    with django_capture_on_commit_callbacks(execute=True):
        decide(staff_client, shop, "reinstate")
    assert status_of(shop) == "live" and len(mailoutbox) == 1
    assert "de nouveau" in mailoutbox[0].subject


def test_a_superuser_moderates_too(client, pending):
    admin = User.objects.create_superuser("admin", "admin@example.fr", "x" * 12)
    client.force_login(admin)
    assert client.get(QUEUE).status_code == 200
    decide(client, pending, "approve", confirm=True)
    assert status_of(pending) == "live"


# --- The audit log --------------------------------------------------------------------------


def test_log_shows_who_when_what_why_and_filters_by_shop(
    staff_client, staff, pending, django_capture_on_commit_callbacks
):
    other = ShopFactory(name="Autre Boutique")
    with django_capture_on_commit_callbacks(execute=True):
        decide(staff_client, pending, "reject", reason="Dossier incomplet")
        decide(staff_client, other, "suspend", reason="Plaintes répétées")
    response = staff_client.get(LOG)
    assert response.status_code == 200
    events = list(response.context["shop_events"])
    assert [(e.shop, e.action, e.actor) for e in events] == [
        (other, "suspend", staff),
        (pending, "reject", staff),
    ]
    html = response.content.decode()
    assert "Dossier incomplet" in html and "Plaintes répétées" in html
    assert staff.email in html and localtime(events[0].created_at).strftime("%d/%m/%Y") in html
    assert events[0].notified_at is not None
    filtered = staff_client.get(LOG, {"boutique": pending.pk})
    assert [e.shop for e in filtered.context["shop_events"]] == [pending]
    assert "Plaintes répétées" not in filtered.content.decode()


def test_log_lists_product_decisions_filtered_by_the_shops_offering_them(staff_client, staff):
    from shops.services import product_moderate

    shop = ShopFactory(name="Épicerie")
    mine = product_offered(title="Pâté", shop=shop)
    other = product_offered(title="Autre pâté")
    product_moderate(product=mine, by=staff, action="withdraw", reason="Étiquetage")
    product_moderate(product=other, by=staff, action="withdraw", reason="Rappel")
    response = staff_client.get(LOG)
    assert len(response.context["product_events"]) == 2
    filtered = staff_client.get(LOG, {"boutique": shop.pk})
    assert [e.product for e in filtered.context["product_events"]] == [mine]
    assert "Étiquetage" in filtered.content.decode()


def test_log_says_when_empty_and_ignores_an_unknown_shop(staff_client):
    response = staff_client.get(LOG, {"boutique": "999999"})
    assert response.status_code == 200
    assert "Aucune décision sur une boutique." in response.content.decode()


# --- Products -------------------------------------------------------------------------------


def product_url(product) -> str:
    return reverse("moderation:product", kwargs={"pk": product.pk})


@pytest.fixture
def jam():
    """A jam two shops offer, each with its merchant."""
    first, second = ShopFactory(name="Épicerie Sophie"), ShopFactory(name="Halle du Marché")
    product = product_offered(title="Confiture d'abricot", shop=first)
    product.stockrecords.create(partner=second, price="5.00", num_in_stock=3)
    merchant_create(first, email="sophie@example.fr")
    merchant_create(second, email="halle@example.fr")
    return product


def test_product_search_shows_the_shops_offering_and_withdrawn_state(staff_client, staff, jam):
    from shops.services import product_moderate

    product_offered(title="Miel de montagne")
    product_moderate(product=jam, by=staff, action="withdraw", reason="Rappel")
    response = staff_client.get(reverse("moderation:products"), {"q": "abricot"})
    assert list(response.context["products"]) == [jam]
    html = response.content.decode()
    assert "Épicerie Sophie" in html and "Halle du Marché" in html and "Retiré" in html
    withdrawn = staff_client.get(reverse("moderation:products"), {"etat": "withdrawn"})
    assert list(withdrawn.context["products"]) == [jam]
    none = staff_client.get(reverse("moderation:products"), {"q": "introuvable"})
    assert "Aucun produit ne correspond" in none.content.decode()


def test_withdrawing_a_product_through_the_page_hides_it_and_emails_its_shops(
    client, staff, jam, mailoutbox, django_capture_on_commit_callbacks
):
    assert client.get(jam.get_absolute_url()).status_code == 200
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(product_url(jam), {"action": "withdraw", "reason": "Rappel"})
    assert response.status_code == 302 and response.url == product_url(jam)
    jam.refresh_from_db()
    assert not jam.is_public
    assert sorted(m.to[0] for m in mailoutbox) == ["halle@example.fr", "sophie@example.fr"]
    client.logout()
    assert client.get(jam.get_absolute_url()).status_code == 404
    assert "Confiture d&#x27;abricot" not in client.get("/catalogue/").content.decode()


def test_withdrawing_without_a_reason_is_refused_and_changes_nothing(
    staff_client, jam, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(product_url(jam), {"action": "withdraw", "reason": ""})
    assert response.status_code == 200
    assert "Indiquez le motif" in response.content.decode()
    jam.refresh_from_db()
    assert jam.is_public and not ProductModerationEvent.objects.exists() and mailoutbox == []


def test_restoring_a_product_through_the_page(
    client, staff, jam, mailoutbox, django_capture_on_commit_callbacks
):
    from shops.services import product_moderate

    product_moderate(product=jam, by=staff, action="withdraw", reason="Rappel")
    client.force_login(staff)
    page = client.get(product_url(jam))
    assert [d["action"] for d in page.context["decisions"]] == ["restore"]
    assert "Rappel" in page.content.decode()  # its history
    response = client.post(product_url(jam), {"action": "withdraw", "reason": "Encore"})
    assert "déjà retiré" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(product_url(jam), {"action": "restore"})
    jam.refresh_from_db()
    assert jam.is_public and len(mailoutbox) == 2
    client.logout()
    assert client.get(jam.get_absolute_url()).status_code == 200


# --- Who may open these pages ---------------------------------------------------------------


def every_moderation_url(shop, product) -> list[str]:
    return [
        QUEUE,
        shop_url(shop),
        LOG,
        reverse("moderation:products"),
        reverse("moderation:product", kwargs={"pk": product.pk}),
    ]


def test_merchants_get_403_on_every_moderation_url_and_change_nothing(client, pending):
    product = product_offered(title="Bouquet", shop=pending)
    merchant = pending.users.get()
    client.force_login(merchant)
    for url in every_moderation_url(pending, product):
        assert client.get(url).status_code == 403, url
        for action in ("approve", "withdraw"):
            response = client.post(url, {"action": action, "reason": "x"})
            assert response.status_code == 403, url
    assert status_of(pending) == "pending"
    product.refresh_from_db()
    assert product.is_public
    assert not ModerationEvent.objects.exists() and not ProductModerationEvent.objects.exists()


def test_signed_out_visitors_are_sent_to_the_login_page(client, pending):
    product = product_offered(title="Bouquet", shop=pending)
    for url in every_moderation_url(pending, product):
        for response in (client.get(url), client.post(url, {"action": "approve"})):
            assert response.status_code == 302, url
            assert response.url.startswith(reverse("dashboard:login")), url
    assert status_of(pending) == "pending"


def test_oscar_staff_without_the_group_get_403(client, pending):
    product = product_offered(title="Bouquet", shop=pending)
    clerk = User.objects.create_user("clerk", "clerk@example.fr", "x" * 12, is_staff=True)
    client.force_login(clerk)
    for url in every_moderation_url(pending, product):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"action": "approve"}).status_code == 403, url
    assert status_of(pending) == "pending"


def test_an_unknown_shop_is_404(staff_client):
    assert staff_client.get(reverse("moderation:shop", kwargs={"pk": 999999})).status_code == 404


# --- Query budgets --------------------------------------------------------------------------


def test_moderation_list_pages_run_a_constant_number_of_queries(
    staff_client, staff, monkeypatch, django_assert_num_queries
):
    """10 rows or 100 rows on the page: the same queries (1 shop row in 100 would show)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from shops.dashboard.moderation import ProductModerationListView
    from shops.services import product_moderate

    monkeypatch.setattr(ModerationQueueView, "paginate_by", 200)
    monkeypatch.setattr(ProductModerationListView, "paginate_by", 200)
    monkeypatch.setattr("shops.dashboard.moderation.LOG_PAGE_SIZE", 200)
    pages = (
        (QUEUE, {}, "shops"),
        (reverse("moderation:products"), {"q": "confiture"}, "products"),
        (LOG, {}, "shop_events"),
        (LOG, {}, "product_events"),
    )

    def add(start, stop):
        for i in range(start, stop):
            shop = ShopFactory(name=f"Boutique {i:03d}", status="pending")
            merchant_create(shop, email=f"m{i}@example.fr")
            product = product_offered(title=f"Confiture {i:03d}", shop=shop)
            product_offered(title=f"Miel {i:03d}", shop=shop)
            product.stockrecords.create(partner=ShopFactory(), price="3.00", num_in_stock=1)
            product_moderate(product=product, by=staff, action="withdraw", reason="Rappel")
            ModerationEvent.objects.create(shop=shop, actor=staff, action="approve")

    add(0, 10)
    counts = []
    for url, params, key in pages:
        staff_client.get(url, params)  # warm what is cached once per process
        with CaptureQueriesContext(connection) as captured:
            response = staff_client.get(url, params)
        assert len(response.context[key]) == 10, url
        counts.append(len(captured.captured_queries))
    add(10, 100)
    for (url, params, key), count in zip(pages, counts, strict=True):
        with django_assert_num_queries(count):
            response = staff_client.get(url, params)
        assert response.status_code == 200
        assert len(response.context[key]) == 100, url
