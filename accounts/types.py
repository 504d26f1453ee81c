"""The user types that typed services and selectors take (annotations only).

The project keeps Django's default user model (Oscar's `auth.User`): `User` names it for
an account that is signed in, `Visitor` for whoever asks (`request.user`), which may be an
anonymous visitor. Every app may import this module: accounts sits low in the layers.
"""

from django.contrib.auth.models import AnonymousUser, User

__all__ = ("User", "Visitor")

#: Whoever asks: a signed-in account or an anonymous visitor.
Visitor = User | AnonymousUser
