"""Queries of the messaging app limited to given accounts (their push subscriptions)."""

from django.db.models import QuerySet

from messaging.models import PushSubscription


def push_subscriptions_of(*, users: QuerySet) -> QuerySet:
    """The browsers that take the pushes of `users` (an account queryset, e.g. one shop's
    team): one query, the accounts' one as a subquery."""
    return PushSubscription.objects.filter(user__in=users.values("pk")).order_by("pk")
