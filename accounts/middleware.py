"""Staff who must use a second factor reach nothing else until they have used it."""

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from accounts.twofactor import has_second_factor, second_factor_required

# Always reachable: the second factor's own pages, signing out, assets, health checks.
OPEN_PREFIXES = ("/comptes/double-authentification/", "/static/", "/media/", "/i18n/")
OPEN_PATHS = ("/accounts/logout/", "/dashboard/logout/", "/admin/logout/", "/healthz")


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
            and not user.is_verified()
            and second_factor_required(user)
        ):
            name = "accounts:second-factor" if has_second_factor(user) else "accounts:setup"
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse(name)}?{query}")
        return self.get_response(request)

    @staticmethod
    def _open(path: str) -> bool:
        return path.startswith(OPEN_PREFIXES) or path in OPEN_PATHS
