"""django-axes wired to our sign-ins: who an attempt is for, and what a locked pair sees.

Every login (residents' /accounts/login/, the dashboard's, /admin/) authenticates through
AUTHENTICATION_BACKENDS, where axes' backend comes first: AXES_FAILURE_LIMIT failures for one
account from one address within AXES_COOLOFF_TIME lock that pair for AXES_COOLOFF_TIME.
"""

import datetime

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.clientip import client_ip
from accounts.responses import too_many_requests

# Where each login form posts the e-mail (Oscar's resident form has a "login-" prefix).
USERNAME_FIELDS = ("username", "login-username")


def login_username(request: HttpRequest, credentials: dict | None = None) -> str:
    """The account an attempt is for, as axes records it: the e-mail (or admin username)
    typed, trimmed and lower-cased, so "Anne@X.fr" and "anne@x.fr" share one counter."""
    value = (credentials or {}).get("username") or (credentials or {}).get("email")
    if not value and request is not None:
        data = getattr(request, "POST", {}) or {}
        value = next((data.get(name) for name in USERNAME_FIELDS if data.get(name)), "")
    # Capped at an e-mail's longest (254): axes stores it in a 255-character column, and a
    # pasted essay as a login must count as a failure, not end in a database error.
    return str(value or "").strip().lower()[:254]


def lockout_response(request: HttpRequest, original=None, credentials=None) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the French 429 page, with the time left and a reset link."""
    return too_many_requests(
        request,
        message=_(
            "Trop d'échecs de connexion pour ce compte depuis votre adresse : la connexion "
            "est bloquée pour un moment, même avec le bon mot de passe."
        ),
        wait=_time_left(request, credentials),
    )


def _time_left(request: HttpRequest, credentials) -> datetime.timedelta:
    from axes.models import AccessAttempt

    cool_off = settings.AXES_COOLOFF_TIME
    last = (
        AccessAttempt.objects.filter(
            username=login_username(request, credentials), ip_address=client_ip(request)
        )
        .order_by("-attempt_time")
        .values_list("attempt_time", flat=True)
        .first()
    )
    if last is None:
        return cool_off
    return max(last + cool_off - timezone.now(), datetime.timedelta(minutes=1))
