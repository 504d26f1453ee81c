"""Oscar's dashboard home is the superuser's: merchants and town staff have their own spaces
(/ma-boutique/, /gestion/), where its old address leads them."""

from django.shortcuts import redirect
from oscar.apps.dashboard.views import IndexView as OscarIndexView

from shops.access import is_superuser


class IndexView(OscarIndexView):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not is_superuser(request.user):
            return redirect("space:landing")
        return super().dispatch(request, *args, **kwargs)
