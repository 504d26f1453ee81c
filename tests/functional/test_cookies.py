"""The portal sets only the cookies it cannot work without (issue 15, §3): the session, the
CSRF token, the anonymous basket and the flash messages. So no consent banner is needed, and
this test fails the day a page sets any other (Oscar's "recently viewed" cookie included)."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from digitaix.legal.pages import necessary_cookies
from tests.factories import ShopFactory, product_offered

pytestmark = pytest.mark.django_db
# The cookies page lists these same cookies (digitaix.legal.pages.necessary_cookies).
NECESSARY = {cookie.name for cookie in necessary_cookies()}


def test_a_residents_journey_sets_only_necessary_cookies(client):
    shop = ShopFactory(name="Fromagerie du Lac")
    tomme = product_offered(title="Tomme de Savoie", shop=shop, price="18.90")
    set_names = set()

    def visit(method, path, data=None):
        response = getattr(client, method)(path, data or {})
        set_names.update(response.cookies.keys())
        return response

    for path in ("/", reverse("catalogue:index"), reverse("shops:directory"),
                 reverse("shops:storefront", args=[shop.code]), tomme.get_absolute_url(),
                 tomme.get_absolute_url(), reverse("search:search") + "?q=tomme"):  # fmt: skip
        assert visit("get", path).status_code == 200, path
    visit("post", reverse("basket:add", kwargs={"pk": tomme.pk}), {"quantity": 1})
    visit("get", reverse("basket:summary"))
    visit("get", reverse("customer:login"))
    user = get_user_model().objects.create_user("c", "c@example.fr", "x")
    client.force_login(user)
    set_names.update(client.cookies.keys())
    visit("get", tomme.get_absolute_url())
    visit("get", reverse("customer:summary"))

    assert set_names <= NECESSARY, set_names - NECESSARY
    assert "oscar_history" not in client.cookies
