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
