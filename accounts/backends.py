"""Signing in by e-mail at the same cost whether the address has an account or not.

Oscar's EmailBackend hashes the password only for the accounts it finds, so an unknown
address answered in half the time of a known one (403 ms against 776 ms: the list of
accounts could be read off the clock). Like Django's ModelBackend, we run the hasher once
when no account matches.
"""

from django.contrib.auth import get_user_model
from oscar.apps.customer.auth_backends import EmailBackend as OscarEmailBackend
from oscar.apps.customer.utils import normalise_email

User = get_user_model()


class EmailBackend(OscarEmailBackend):
    def _authenticate(self, request, email=None, password=None, *args, **kwargs):
        address = email if email is not None else kwargs.get("username")
        if address is not None and password is not None:
            clean = normalise_email(address)
            if "@" not in clean or not User.objects.filter(email__iexact=clean).exists():
                User().set_password(password)  # as long as checking a real account's
                return None
        return super()._authenticate(request, email, password, *args, **kwargs)
