"""The "page not found" page: French, in the site's layout (header, main landmark, a way
back), and writing nothing, not even the basket a signed-in visitor's header would open."""

import pytest
from django.contrib.auth import get_user_model
from oscar.core.loading import get_model

pytestmark = pytest.mark.django_db
Basket = get_model("basket", "Basket")


def test_a_missing_page_answers_a_french_page_of_the_site(client):
    response = client.get("/nulle-part/")

    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="fr"' in html
    assert '<main id="main"' in html
    assert "Page introuvable" in html
    assert "Retour à l&#x27;accueil" in html or "Retour à l'accueil" in html


def test_a_missing_page_opens_no_basket_for_a_signed_in_visitor(client):
    client.force_login(get_user_model().objects.create_user("camille", "camille@example.fr"))

    assert client.get("/nulle-part/").status_code == 404
    assert not Basket.objects.exists()
