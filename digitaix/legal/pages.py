"""The portal's legal pages: which there are, where they live, and their text.

Each page is a Django flat page at a fixed address (`LegalPage.url`), written by the town staff
in their space (`legal_page_save`). Until the town writes one, the page shows its default text
(templates/digitaix/legal/defaults/<key>.txt), in which what only the town can know is marked
"[à compléter : …]"; `manage.py seed_town` fills the demo's facts instead.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from digitaix.legal.markup import markup_html


@dataclass(frozen=True)
class LegalPage:
    key: str
    title: str
    url: str

    @property
    def default_template(self) -> str:
        return f"digitaix/legal/defaults/{self.key}.txt"


PAGES: tuple[LegalPage, ...] = (
    LegalPage("mentions-legales", _("Mentions légales"), "/mentions-legales/"),
    LegalPage("conditions-generales", _("Conditions générales"), "/conditions-generales/"),
    LegalPage("confidentialite", _("Données personnelles"), "/confidentialite/"),
    LegalPage("cookies", _("Cookies"), "/cookies/"),
)
PAGES_BY_KEY = {page.key: page for page in PAGES}

# What the town alone knows; the default texts print "[à compléter : …]" for each one missing.
FACTS = ("publisher", "publisher_address", "director", "host", "dpo")


@dataclass(frozen=True)
class Cookie:
    name: str
    purpose: str
    lifetime: str


def necessary_cookies() -> tuple[Cookie, ...]:
    """Every cookie the portal may set, all necessary to what the visitor asked for (no
    consent needed). tests/functional/test_cookies.py fails if a page sets any other."""
    basket_days = settings.OSCAR_BASKET_COOKIE_LIFETIME // 86400
    session_days = settings.SESSION_COOKIE_AGE // 86400
    return (
        Cookie(
            settings.SESSION_COOKIE_NAME,
            _("Garde votre connexion et votre panier pendant la visite."),
            _("%(days)s jours") % {"days": session_days},
        ),
        Cookie(
            settings.CSRF_COOKIE_NAME,
            _("Protège vos formulaires contre les envois frauduleux (sécurité)."),
            _("1 an"),
        ),
        Cookie(
            settings.OSCAR_BASKET_COOKIE_OPEN,
            _("Retrouve le panier d'un visiteur non connecté."),
            _("%(days)s jours") % {"days": basket_days},
        ),
        Cookie("messages", _("Affiche une confirmation après une action."), _("la visite")),
        Cookie(
            settings.LANGUAGE_COOKIE_NAME,
            _("Retient la langue choisie, seulement si vous en changez."),
            _("la visite"),
        ),
    )


def legal_page_get(*, key: str) -> FlatPage | None:
    """The town's text of page `key`, or None while it has not written one."""
    return FlatPage.objects.filter(url=PAGES_BY_KEY[key].url).first()


def legal_pages_written() -> set[str]:
    """The keys of the pages the town has written (one query)."""
    urls = set(
        FlatPage.objects.filter(url__in=[p.url for p in PAGES]).values_list("url", flat=True)
    )
    return {page.key for page in PAGES if page.url in urls}


def legal_page_default(*, key: str, facts: dict | None = None) -> str:
    """The default text of page `key` (plain-text conventions, see digitaix.legal.markup)."""
    facts = facts or {}
    context = {
        "town": settings.OSCAR_SHOP_NAME,
        "site_url": settings.DIGITAIX_SITE_URL,
        "contact_email": settings.DIGITAIX_CONTACT_EMAIL,
        **{name: facts.get(name, "") for name in FACTS},
    }
    return render_to_string(PAGES_BY_KEY[key].default_template, context).strip() + "\n"


def legal_page_text(*, key: str) -> tuple[str, str, bool]:
    """(title, HTML to print through |rich_text_page, written by the town?) of page `key`."""
    page = legal_page_get(key=key)
    if page is not None:
        return page.title, markup_html(page.content), True
    return str(PAGES_BY_KEY[key].title), markup_html(legal_page_default(key=key)), False


@transaction.atomic
def legal_page_save(*, key: str, title: str, content: str) -> FlatPage:
    """Write the town's text of page `key` (plain text: digitaix.legal.markup's conventions)."""
    spec = PAGES_BY_KEY[key]
    page, _created = FlatPage.objects.update_or_create(
        url=spec.url, defaults={"title": title.strip(), "content": content.strip() + "\n"}
    )
    page.sites.add(Site.objects.get_current())
    return page


def legal_pages_seed(*, facts: dict) -> int:
    """Write every page the town has not written yet from its default text filled with
    `facts` (the demo's); returns how many were written. Pages already written are kept."""
    written = legal_pages_written()
    count = 0
    for page in PAGES:
        if page.key not in written:
            legal_page_save(
                key=page.key,
                title=str(page.title),
                content=legal_page_default(key=page.key, facts=facts),
            )
            count += 1
    return count
