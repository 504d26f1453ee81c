"""Bad input gets a clear French answer and changes nothing, never a 500
(digitaix.bad_input: NUL bytes, non-UTF-8 text, oversized bodies)."""

import pytest
from django.contrib.auth import get_user_model
from django.test.client import FakePayload
from django.urls import reverse

pytestmark = pytest.mark.django_db

User = get_user_model()


@pytest.mark.parametrize("query", ["q=pain%00", "q=%00", "q=caf%E9", "q=%FF%FE", "q%00=x"])
def test_a_search_with_nul_or_invalid_utf8_is_refused_in_french(client, query):
    response = client.get(f"{reverse('search:search')}?{query}")
    assert response.status_code == 400
    assert "Caractères non valides" in response.content.decode()


def test_a_nul_byte_in_a_path_is_refused_rather_than_looked_up(client):
    response = client.get("/boutiques/pain%00/")
    assert response.status_code == 400


def test_a_search_with_accents_and_emoji_still_works(client):
    response = client.get(reverse("search:search"), {"q": "café 🥐 עברית"})
    assert response.status_code == 200


def test_a_posted_form_with_a_nul_byte_is_refused_and_writes_nothing(client):
    data = {
        "first_name": "Marie\x00",
        "last_name": "Dupont",
        "email": "marie@example.fr",
        "password1": "un-mot-de-passe-solide",
        "password2": "un-mot-de-passe-solide",
        "name": "Chez Marie",
    }
    for content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        if content_type.startswith("multipart"):
            response = client.post(reverse("merchant-signup"), data)
        else:
            from urllib.parse import urlencode

            response = client.post(
                reverse("merchant-signup"), urlencode(data), content_type=content_type
            )
        assert response.status_code == 400, content_type
        assert "Caractères non valides" in response.content.decode()
    assert not User.objects.exists()


def test_a_posted_form_with_invalid_utf8_is_refused(client):
    response = client.post(
        reverse("merchant-signup"),
        b"first_name=Ren%E9&email=rene%40example.fr",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert not User.objects.exists()


class _Unreadable(FakePayload):
    def read(self, *args, **kwargs):
        raise AssertionError("the body of an oversized upload was read")


def test_an_oversized_upload_is_refused_before_it_is_read(client, settings):
    settings.DIGITAIX_MAX_UPLOAD_MB = 20
    response = client.generic(
        "POST",
        reverse("merchant-signup"),
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(300 * 1024 * 1024),
        **{"wsgi.input": _Unreadable(b"")},
    )
    assert response.status_code == 413
    assert "dépasse 20 Mo" in response.content.decode()


def test_an_oversized_form_outside_files_gets_the_french_page(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    response = client.post(reverse("merchant-signup"), {"first_name": "x" * 500})
    assert response.status_code == 413
    assert "Envoi trop lourd" in response.content.decode()
    assert not User.objects.exists()


def test_an_empty_quantity_in_the_basket_keeps_the_line_with_a_french_error(client):
    from oscar.core.loading import get_model

    from tests.factories import product_offered

    Line = get_model("basket", "Line")
    client.post(
        reverse("basket:add", kwargs={"pk": product_offered(title="Pain").pk}), {"quantity": 1}
    )
    line = Line.objects.get()
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "form-0-id": str(line.pk),
        "form-0-quantity": "",
    }
    response = client.post(reverse("basket:summary"), data, follow=True)
    assert response.status_code == 200
    assert Line.objects.filter(pk=line.pk, quantity=1).exists()
    assert "Indiquez une quantité" in response.content.decode()

    data["form-0-quantity"] = "0"  # zero still removes the article, as Oscar does
    client.post(reverse("basket:summary"), data)
    assert not Line.objects.exists()


@pytest.fixture
def staff_and_order():
    from oscar.core.loading import get_class, get_model
    from oscar.test.factories import create_order

    from shops.services import basket_offer_add
    from tests.factories import ProductFactory, StockRecordFactory

    basket = get_model("basket", "Basket").objects.create()
    basket.strategy = get_class("partner.strategy", "Default")()
    offer = StockRecordFactory(product=ProductFactory(title="Pain"))
    basket_offer_add(basket=basket, stockrecord=offer, quantity=1)
    admin = User.objects.create_superuser(username="admin", email="a@example.fr", password="x")
    return admin, create_order(basket=basket)


def test_a_bulk_action_on_a_row_id_that_is_no_number_is_refused_without_a_500(
    client, staff_and_order
):
    staff, order = staff_and_order
    client.force_login(staff)
    response = client.post(
        reverse("dashboard:order-list"),
        {"action": "download_selected_orders", "selected_order": ["abc", str(order.pk)]},
    )
    assert response.status_code == 302  # back to the list, with Oscar's "select some" message


def test_an_order_note_of_20000_characters_is_a_form_error(client, staff_and_order):
    from oscar.core.loading import get_model

    staff, order = staff_and_order
    client.force_login(staff)
    url = reverse("dashboard:order-detail", kwargs={"number": order.number})
    response = client.post(url, {"order_action": "save_note", "message": "é" * 20_000})
    assert response.status_code == 200
    assert "5000" in str(response.context["note_form"].errors["message"])
    assert not get_model("order", "OrderNote").objects.exists()
    client.post(url, {"order_action": "save_note", "message": "Client prévenu"})
    assert get_model("order", "OrderNote").objects.get().message == "Client prévenu"


def test_a_product_recommendation_that_is_no_id_is_a_form_error(client, staff_and_order):
    admin, order = staff_and_order
    client.force_login(admin)
    product = order.lines.get().product
    url = reverse("dashboard:catalogue-product", kwargs={"pk": product.pk})
    response = client.post(
        url,
        {
            "title": "Pain",
            "primary_recommendations-TOTAL_FORMS": "1",
            "primary_recommendations-INITIAL_FORMS": "0",
            "primary_recommendations-MIN_NUM_FORMS": "0",
            "primary_recommendations-MAX_NUM_FORMS": "1000",
            "primary_recommendations-0-recommendation": "pas-un-id",
            "primary_recommendations-0-ranking": "1",
        },
    )
    assert response.status_code == 200  # the page again, with the error; nothing saved
