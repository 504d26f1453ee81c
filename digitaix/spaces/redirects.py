"""The old dashboard paths (bookmarks, e-mails already sent) lead to the same screen in the
new spaces: a permanent redirect that keeps the rest of the path and the query string."""

from django.http import HttpResponsePermanentRedirect
from django.urls import re_path

# Old prefix -> new prefix (longest first: the first match wins).
MOVED = (
    ("dashboard/moderation/commandes/", "gestion/commandes/"),
    ("dashboard/moderation/", "gestion/moderation/"),
    ("dashboard/boutique/", "ma-boutique/"),
    ("dashboard/commandes-boutique/", "ma-boutique/commandes/"),
    ("dashboard/livraison/", "gestion/livraison/"),
    ("dashboard/portail/", "gestion/chiffres/"),
    ("dashboard/avis/", "moderation-avis/"),
    ("dashboard/paiements/", "ma-boutique/paiements/"),
)


def _moved_to(new_prefix: str):
    def view(request, rest: str = ""):
        query = request.META.get("QUERY_STRING", "")
        target = f"/{new_prefix}{rest}" + (f"?{query}" if query else "")
        return HttpResponsePermanentRedirect(target)

    return view


urlpatterns = [
    re_path(rf"^{old}(?P<rest>.*)$", _moved_to(new), name=f"moved-{i}")
    for i, (old, new) in enumerate(MOVED)
]
