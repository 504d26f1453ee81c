"""Placeholder: the dashboard home, with the merchant's onboarding checklist."""

from oscar.apps.dashboard.views import IndexView as OscarIndexView


class IndexView(OscarIndexView):
    pass
