"""The answers accounts' throttles give: one French page, HTTP 429, for every limit."""

import datetime

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

TEMPLATE = "digitaix/accounts/too_many.html"


def too_many_requests(
    request: HttpRequest, *, message: str = "", wait: datetime.timedelta | None = None
) -> HttpResponse:
    """HTTP 429 with a French explanation, how long to wait, and a link to reset a password."""
    context = {
        "message": message or _("Trop de tentatives en peu de temps. Réessayez plus tard."),
        "wait_minutes": _minutes(wait) if wait else None,
    }
    response = render(request, TEMPLATE, context, status=429)
    if wait:
        response["Retry-After"] = str(int(wait.total_seconds()))
    return response


def _minutes(wait: datetime.timedelta) -> int:
    return max(1, -(-int(wait.total_seconds()) // 60))
