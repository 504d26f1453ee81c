"""French first: the portal speaks French unless the visitor picked another language."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation import check_for_language


class FrenchFirstLocaleMiddleware(LocaleMiddleware):
    """Like Django's, but ignores the browser's Accept-Language header.

    A town's portal is French; English is offered through the language switcher, whose
    choice is kept in Django's language cookie. An English-speaking browser alone does not
    switch the site, so every resident sees the same, complete, French pages by default.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported and check_for_language(chosen) else None
        translation.activate(language or settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()
