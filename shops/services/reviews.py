"""Residents' reviews: published only once the shop or the town's staff approve them."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from accounts.types import User

ProductReview = get_model("reviews", "ProductReview")
REVIEW_DECISIONS = {"approve": ProductReview.APPROVED, "reject": ProductReview.REJECTED}


@transaction.atomic
def review_moderate(*, review: "ProductReview", by: User, action: str) -> "ProductReview":
    """Approve (publish) or reject a review awaiting moderation. Refused with a French
    message, nothing changed, for an unknown action or a review already decided."""
    if action not in REVIEW_DECISIONS:
        raise ValidationError(_("Choisissez : publier ou refuser l'avis."), code="review_action")
    review = ProductReview.objects.select_for_update().get(pk=review.pk)
    if review.status != ProductReview.FOR_MODERATION:
        raise ValidationError(_("Cet avis a déjà été traité."), code="review_decided")
    review.status = REVIEW_DECISIONS[action]
    review.save()  # Oscar's save() recounts the product's approved reviews and rating
    return review
