"""Reviews held for moderation, under /dashboard/avis/ (merchants and the town's staff)."""

from django.urls import path

from shops.dashboard import reviews

app_name = "review-moderation"

urlpatterns = [
    path("", reviews.ReviewModerationListView.as_view(), name="list"),
    path("<int:pk>/", reviews.ReviewModerateView.as_view(), name="moderate"),
]
