"""Residents' reviews: signed-in residents only, held until the shop or the town's staff
publish them (/moderation-avis/); a merchant decides on their own shops' products only."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from oscar.core.loading import get_model

from tests.factories import ShopFactory, commerce_staff_create, merchant_create, product_offered

pytestmark = pytest.mark.django_db

ProductReview = get_model("reviews", "ProductReview")
LIST = "/moderation-avis/"


@pytest.fixture
def world():
    shop_a, shop_b = ShopFactory(name="Boutique A"), ShopFactory(name="Boutique B")
    return {
        "product_a": product_offered(title="Pain de seigle", shop=shop_a),
        "product_b": product_offered(title="Tarte aux myrtilles", shop=shop_b),
        "merchant_a": merchant_create(shop_a, email="a@example.fr"),
        "resident": get_user_model().objects.create_user(
            "habitant", "habitant@example.fr", "x" * 12, first_name="Lou"
        ),
    }


def review_url(product, name="catalogue:reviews-add", **extra) -> str:
    kwargs = {"product_slug": product.slug, "product_pk": product.pk, **extra}
    return reverse(name, kwargs=kwargs)


def post_review(client, product, title="Excellent"):
    data = {"title": title, "score": 5, "body": "<b>Très bon</b>", "name": "X", "email": "x@x.fr"}
    return client.post(review_url(product), data)


def held_review(world, product, title="Excellent") -> ProductReview:
    return ProductReview.objects.create(
        product=product, user=world["resident"], title=title, score=4, body="Bon."
    )


def test_signed_out_visitors_cannot_review(client, world):
    response = post_review(client, world["product_a"])
    assert response.status_code == 302
    assert not ProductReview.objects.exists()


def test_a_residents_review_is_held_until_approved(client, world):
    product = world["product_a"]
    client.force_login(world["resident"])
    post_review(client, product)
    review = ProductReview.objects.get()
    assert review.status == ProductReview.FOR_MODERATION
    assert "Excellent" not in client.get(product.get_absolute_url()).content.decode()
    detail = review_url(product, "catalogue:reviews-detail", pk=review.pk)
    assert client.get(detail).status_code == 404


def test_a_merchant_publishes_a_review_of_their_own_product(client, world):
    product = world["product_a"]
    review = held_review(world, product)
    held_review(world, world["product_b"], title="Chez B")
    client.force_login(world["merchant_a"])
    page = client.get(LIST).content.decode()
    assert "Excellent" in page and "Chez B" not in page
    client.post(
        reverse("review-moderation:moderate", kwargs={"pk": review.pk}), {"action": "approve"}
    )
    review.refresh_from_db()
    assert review.status == ProductReview.APPROVED
    assert "Excellent" in client.get(product.get_absolute_url()).content.decode()


def test_a_merchant_cannot_decide_on_another_shops_review(client, world):
    review = held_review(world, world["product_b"])
    client.force_login(world["merchant_a"])
    url = reverse("review-moderation:moderate", kwargs={"pk": review.pk})
    assert client.post(url, {"action": "approve"}).status_code == 404
    review.refresh_from_db()
    assert review.status == ProductReview.FOR_MODERATION


def test_town_staff_see_every_review_and_refuse_one(client, world):
    review = held_review(world, world["product_b"], title="Chez B")
    client.force_login(commerce_staff_create())
    assert "Chez B" in client.get(LIST).content.decode()
    client.post(
        reverse("review-moderation:moderate", kwargs={"pk": review.pk}), {"action": "reject"}
    )
    review.refresh_from_db()
    assert review.status == ProductReview.REJECTED


def test_a_bad_or_repeated_decision_changes_nothing_and_says_why(client, world):
    review = held_review(world, world["product_a"])
    client.force_login(world["merchant_a"])
    url = reverse("review-moderation:moderate", kwargs={"pk": review.pk})
    response = client.post(url, {"action": "delete"}, follow=True)
    assert "Choisissez : publier ou refuser" in response.content.decode()
    review.refresh_from_db()
    assert review.status == ProductReview.FOR_MODERATION
    client.post(url, {"action": "reject"})
    assert client.post(url, {"action": "approve"}).status_code == 404  # decided: gone
    review.refresh_from_db()
    assert review.status == ProductReview.REJECTED


def test_residents_cannot_open_the_moderation_screen(client, world):
    client.force_login(world["resident"])
    assert client.get(LIST).status_code == 403
    review = held_review(world, world["product_a"])
    url = reverse("review-moderation:moderate", kwargs={"pk": review.pk})
    assert client.post(url, {"action": "approve"}).status_code == 403
