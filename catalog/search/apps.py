import oscar.apps.search.apps as apps
from django.urls import path


class SearchConfig(apps.SearchConfig):
    name = "catalog.search"

    def get_urls(self):
        from catalog.search.views import suggestions

        # The header box's type-ahead (/search/suggestions/?q=), beside Oscar's results page.
        return [path("suggestions/", suggestions, name="suggestions"), *super().get_urls()]
