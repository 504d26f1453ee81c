"""Staff who must use a second factor reach nothing else until they have used it."""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from accounts.twofactor import has_second_factor, role_requires_second_factor

# Always reachable: the second factor's own pages, signing out, assets, health checks.
OPEN_PREFIXES = ("/comptes/double-authentification/", "/static/", "/media/", "/i18n/")
OPEN_PATHS = ("/accounts/logout/", "/dashboard/logout/", "/admin/logout/", "/healthz")
# The role predicate's answer, taken at login: asking it on every request would cost every
# signed-in resident two permission queries per page. is_staff and is_superuser (no query)
# are read on every request; a role granted mid-session applies from the next login.
ROLE_SESSION_KEY = "accounts_second_factor_role"


@receiver(user_logged_in, dispatch_uid="accounts.second_factor_role")
def _remember_role(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[ROLE_SESSION_KEY] = role_requires_second_factor(user)


class SecondFactorMiddleware:
    """After django_otp's OTPMiddleware: a staff session not verified by a second factor is
    sent to set one up (none yet) or to enter a code, whatever page it asks for."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not self._open(request.path)
            and self._required(request)
            and not user.is_verified()
        ):
            name = "accounts:second-factor" if has_second_factor(user) else "accounts:setup"
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse(name)}?{query}")
        return self.get_response(request)

    @staticmethod
    def _required(request) -> bool:
        user = request.user
        if not settings.DIGITAIX_STAFF_SECOND_FACTOR or not user.is_active:
            return False
        if user.is_staff or user.is_superuser:
            return True
        if ROLE_SESSION_KEY not in request.session:  # a session opened before this check
            request.session[ROLE_SESSION_KEY] = role_requires_second_factor(user)
        return request.session[ROLE_SESSION_KEY]

    @staticmethod
    def _open(path: str) -> bool:
        return path.startswith(OPEN_PREFIXES) or path in OPEN_PATHS
