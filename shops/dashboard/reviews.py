"""Residents' reviews held for moderation, under /dashboard/avis/.

Oscar's reviews dashboard lists and edits every review and lets its user rewrite a resident's
text; it stays the superuser's. This screen is smaller and safe: the reviews awaiting a
decision that the user may take (the town's staff: every product's; a merchant: those of the
products their shops offer), each with two buttons, publish or refuse. The text is shown
escaped, as residents typed it.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import ListView

from shops import access, selectors
from shops.services.reviews import review_moderate

DONE = {"approve": _("Avis publié."), "reject": _("Avis refusé : il ne sera pas publié.")}


class ReviewModerationListView(access.ReviewModeratorRequiredMixin, ListView):
    template_name = "digitaix/dashboard/reviews/list.html"
    context_object_name = "reviews"
    paginate_by = 25

    def get_queryset(self):
        user = self.request.user
        return selectors.reviews_to_moderate(
            user=user, every_shop=access.moderates_every_review(user)
        )

    def get_context_data(self, **kwargs):
        """The town's staff read it in their space; a merchant in theirs, with their shop's
        menu when they run only one."""
        if access.moderates_every_review(self.request.user):
            return super().get_context_data(space_base="digitaix/space/staff_base.html", **kwargs)
        shops = list(selectors.shops_of_user(self.request.user)[:2])
        return super().get_context_data(
            space_base="digitaix/space/merchant_base.html",
            shop=shops[0] if len(shops) == 1 else None,
            **kwargs,
        )


class ReviewModerateView(access.ReviewModeratorRequiredMixin, View):
    """POST action=approve|reject on one review the user may decide on (any other: 404)."""

    http_method_names = ["post"]

    def post(self, request, pk: int):
        review = selectors.review_to_moderate_get(
            user=request.user, every_shop=access.moderates_every_review(request.user), pk=pk
        )
        action = request.POST.get("action", "")
        try:
            review_moderate(review=review, by=request.user, action=action)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, DONE[action])
        return redirect("review-moderation:list")
