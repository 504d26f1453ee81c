"""Whole public list pages kept once for every visitor, with holes for what is personal.

The home page, the catalogue, a category, the search page, the shop directory and a
storefront are the same for everyone who sees the public site, except for a few parts: the
account links, the basket's count, what the basket lacks for a delivery, the form token and
the Content-Security-Policy nonce. Rendering the rest (header, menus, 24 cards, facets,
footer) was most of each request's time. `shared_page` keeps a page's HTML with those parts
left as holes and fills them in for each request:

- `{% page_hole "template.html" %}` (catalog/templatetags/page_holes.py) marks a hole: the
  template is rendered on its own with the request, for each visitor (only the templates in
  `HOLES`); the form token and the nonce are replaced by the visitor's own.
- The key holds the catalogue's version (`catalog.cache.catalogue_version`: products, offers,
  a shop's status, and `ContentVersion`, raised after every committed change of the models in
  `WATCHED`, deletions included), the language, the whole address, the audience (signed in or
  not) and what the view adds (the day, the minute where opening hours show): a change shows
  at once, never a stale page.
- Only for visitors with no back-office role (merchants and town staff see edit links and
  hidden shops: their pages are rendered each time), with no flash message waiting, on GET.
- A cache that cannot be reached (Redis down) only means rendering the page (catalog.cache).
"""

import logging
import re
from functools import partial

from django.apps import apps
from django.conf import settings
from django.contrib.messages import get_messages
from django.db import DatabaseError, transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template import RequestContext, engines
from django.template.response import SimpleTemplateResponse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import get_language

from catalog.cache import (
    PERSONAL_MARK,
    cache_get_many,
    cache_key,
    cache_set_many,
    catalogue_version,
)

logger = logging.getLogger(__name__)

# The personal parts of a shared page: each is rendered on its own, with the request only.
HOLES = frozenset(
    {
        "oscar/partials/nav_accounts.html",
        "oscar/partials/mini_basket.html",
        "digitaix/shops/partials/delivery_gap.html",
    }
)
HOLE = PERSONAL_MARK + "hole:{}\x00"
_HOLE_RE = re.compile(re.escape(PERSONAL_MARK) + "hole:([^\x00]{1,200})\x00")
_CSRF = PERSONAL_MARK + "csrf\x00"
_NONCE = PERSONAL_MARK + "nonce\x00"
_RECORDING = "_dx_page_recording"

# What the shared pages show besides products and offers (whose own change times are in the
# catalogue's version): app label -> model names, or None for every model of the app.
WATCHED = {
    "catalogue": None,
    "partner": ("Partner", "StockRecord", "OpeningHours", "ClosingPeriod", "PartnerAddress"),
    "delivery": ("DeliveryZone", "DeliveryZonePostcode"),
    "reviews": ("ProductReview",),
}
NOT_WATCHED = frozenset({"catalogue.searchrefresh", "catalogue.contentversion"})


def shared_page(request, key_parts: tuple, render, params: frozenset = frozenset()):
    """The page `render()` makes, kept for every visitor of the same audience (see above).
    Only addresses whose query holds nothing but `params` are kept: a tracking parameter or
    made-up ones (?utm_source=…, ?x=1, ?x=2…) get the page rendered, not a new copy kept."""
    seconds = settings.DIGITAIX_PAGE_CACHE_SECONDS
    kept = seconds > 0 and request.method in ("GET", "HEAD") and set(request.GET) <= params
    audience = _audience(request) if kept else None
    if audience is None or len(get_messages(request)):
        return render()
    key = cache_key(
        "page",
        (catalogue_version(), get_language(), audience, request.get_full_path(), *key_parts),
    )
    skeleton = cache_get_many([key]).get(key)
    if skeleton is None:
        skeleton = _recorded(request, render)
        if not isinstance(skeleton, str):
            return skeleton  # not a plain page (a redirect, a 404...): as it is
        cache_set_many({key: skeleton}, seconds)
    return HttpResponse(_filled(request, skeleton))


def _audience(request) -> str | None:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return "visitor"
    if import_string(settings.DIGITAIX_BACK_OFFICE_USER)(user):
        return None
    return "member"


def _recorded(request, render):
    """The page with its holes and the visitor's token and nonce marked, or `render()`'s
    response when it is not a 200 page from a template."""
    token, nonce = get_token(request), _nonce(request)
    setattr(request, _RECORDING, True)
    try:
        response = render()
        if not isinstance(response, SimpleTemplateResponse) or response.status_code != 200:
            return response
        response.context_data = {**(response.context_data or {}), "csrf_token": token}
        html = response.render().content.decode(response.charset)
    finally:
        setattr(request, _RECORDING, False)
    html = html.replace(token, _CSRF)
    return html.replace(nonce, _NONCE) if nonce else html


def _nonce(request) -> str:
    """This request's Content-Security-Policy nonce (django-csp), "" without the middleware."""
    nonce = getattr(request, "csp_nonce", None)
    return str(nonce) if nonce is not None else ""


def _filled(request, skeleton: str) -> str:
    html = skeleton
    if _CSRF in html:
        html = html.replace(_CSRF, get_token(request))
    if _NONCE in html:
        html = html.replace(_NONCE, _nonce(request))
    names = [name for name in dict.fromkeys(_HOLE_RE.findall(html)) if name in HOLES]
    parts = _holes_rendered(request, names) if names else {}
    return _HOLE_RE.sub(lambda match: parts.get(match.group(1), ""), html)


def _holes_rendered(request, names: list[str]) -> dict[str, str]:
    """The holes' templates rendered in one context with the request: the context processors
    (the user, the unread notifications...) run once for all of them."""
    engine = engines["django"].engine
    templates = [engine.get_template(name) for name in names]
    context = RequestContext(request)
    with context.bind_template(templates[0]):
        rendered = [template.render(context) for template in templates]
    return dict(zip(names, rendered, strict=True))


def hole(context, template_name: str) -> str:
    """What `{% page_hole %}` prints: a mark while a shared page is recorded, else the
    template rendered in the page's context, as `{% include %}` would."""
    if template_name not in HOLES:
        raise ValueError(f"{template_name} is not in catalog.pagecache.HOLES")
    request = context.get("request")
    if request is not None and getattr(request, _RECORDING, False):
        return HOLE.format(template_name)
    template = context.template.engine.get_template(template_name)
    with context.push():
        return template.render(context)


class SharedPageMixin:
    """For a view whose GET page is the same for every public visitor (see `shared_page`).
    `page_key()` adds what else the page depends on: the day (the footer's year), and in
    views that show whether shops are open, the minute."""

    def page_key(self) -> tuple:
        return (type(self).__name__, timezone.localdate().isoformat())

    def page_params(self) -> frozenset:
        """The query parameters the page reads (a filter form's fields and `page`)."""
        form_class = getattr(self, "form_class", None)
        return frozenset((*(form_class.base_fields if form_class else ()), "page"))

    def get(self, request, *args, **kwargs):
        key, params = self.page_key(), self.page_params()
        render = partial(self.page_get, request, *args, **kwargs)
        return shared_page(request, key, render, params=params)

    def page_get(self, request, *args, **kwargs):
        """The page itself, when it is not kept yet: a view's own lookups (its shop, its
        category) go in here, so a kept page needs none of them."""
        return super().get(request, *args, **kwargs)


# --- The content's version -------------------------------------------------------------------


def content_changed(using: str | None = None) -> None:
    """Raise `ContentVersion` once the current transaction commits (at once outside one), once
    per transaction however many rows it changed."""
    connection = transaction.get_connection(using)
    if not connection.in_atomic_block:
        _raise_version(using)
        return
    # Django replaces its list of commit hooks on commit and on rollback: the same list means
    # this transaction already asked.
    if getattr(connection, "_dx_content_hooks", None) is connection.run_on_commit:
        return
    transaction.on_commit(partial(_raise_version, using), using=using, robust=True)
    connection._dx_content_hooks = connection.run_on_commit


def _raise_version(using: str | None = None) -> None:
    model = apps.get_model("catalogue", "ContentVersion")
    try:
        if not model.objects.using(using).filter(pk=1).update(value=F("value") + 1):
            model.objects.using(using).get_or_create(pk=1, defaults={"value": 1})
    except DatabaseError:  # the table is not there yet (migrating): nothing is kept either
        logger.warning("Could not raise the content version", exc_info=True)


def _changed(sender, using=None, **kwargs):
    content_changed(using)


def _m2m_changed(sender, action, using=None, **kwargs):
    if action.startswith("post_") and _watched(sender):
        content_changed(using)


def _watched(model) -> bool:
    meta = model._meta
    if meta.label_lower in NOT_WATCHED or meta.app_label not in WATCHED:
        return False
    names = WATCHED[meta.app_label]
    return names is None or meta.object_name in names


def connect_receivers() -> None:
    """Called by the catalogue app once every app is loaded."""
    for model in apps.get_models():
        if _watched(model):
            uid = f"digitaix-content-{model._meta.label_lower}"
            post_save.connect(_changed, sender=model, dispatch_uid=f"{uid}-save")
            post_delete.connect(_changed, sender=model, dispatch_uid=f"{uid}-delete")
    m2m_changed.connect(_m2m_changed, dispatch_uid="digitaix-content-m2m")
