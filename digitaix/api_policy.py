"""The public REST API's policies, named by settings.REST_FRAMEWORK: errors as RFC 9457
problem documents, the per-key throttle, and how the schema documents the key.

Kept apart from digitaix/api.py (the routes): DRF imports these while the apps' views are
being defined, so this module imports none of them.
"""

import logging

from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions, status
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import exception_handler

from catalog.api_text import fr_en

logger = logging.getLogger(__name__)

PROBLEM_CONTENT_TYPE = "application/problem+json"
TITLES = {
    status.HTTP_400_BAD_REQUEST: _("Requête invalide"),
    status.HTTP_401_UNAUTHORIZED: _("Clé d'API manquante ou invalide"),
    status.HTTP_403_FORBIDDEN: _("Action non permise"),
    status.HTTP_404_NOT_FOUND: _("Introuvable"),
    status.HTTP_405_METHOD_NOT_ALLOWED: _("Méthode non permise"),
    status.HTTP_406_NOT_ACCEPTABLE: _("Format de réponse non disponible"),
    status.HTTP_415_UNSUPPORTED_MEDIA_TYPE: _("Format de requête non pris en charge"),
    status.HTTP_422_UNPROCESSABLE_ENTITY: _("Requête impossible à traiter"),
    status.HTTP_429_TOO_MANY_REQUESTS: _("Trop de requêtes"),
}


def problem_exception_handler(exc, context):
    """DRF's errors as problem documents: `title`, `status`, `detail` (French) and, for
    invalid values, `errors` (field -> messages)."""
    response = exception_handler(exc, context)
    if response is None:
        return None
    problem = {
        "type": "about:blank",
        "title": str(TITLES.get(response.status_code, response.status_text)),
        "status": response.status_code,
    }
    if isinstance(exc, exceptions.ValidationError):
        problem["detail"] = str(_("Certaines valeurs sont invalides : voyez « errors »."))
        errors = getattr(exc, "problem_errors", None) or response.data
        problem["errors"] = errors if isinstance(errors, dict) else {"non_field_errors": errors}
    elif isinstance(exc, exceptions.ParseError):
        problem["detail"] = _parse_error_detail(exc)
    else:
        problem["detail"] = str(getattr(exc, "detail", response.status_text))
    response.data = problem
    response.content_type = PROBLEM_CONTENT_TYPE
    return response


def _parse_error_detail(exc: exceptions.ParseError) -> str:
    """The parser's English (`JSON parse error - Expecting ',' delimiter: line 1 column 19
    (char 18)`) said in French, keeping where the fault is."""
    import re

    text = str(exc.detail)
    where = re.search(r"line (\d+) column (\d+)", text)
    if "codec can't decode" in text:
        return str(_("Corps illisible : il doit être encodé en UTF-8."))
    if where:
        return str(_("JSON mal formé (ligne %(line)s, colonne %(column)s).")) % {
            "line": where[1], "column": where[2]
        }  # fmt: skip
    return str(_("Corps de requête illisible : du JSON est attendu."))


class CountingThrottle(SimpleRateThrottle):
    """DRF's throttle counted by the forms' rate limiter (accounts.ratelimit: one atomic
    counter per fixed window, in Redis in production) instead of DRF's list of every call's
    time, read and rewritten on each call (thousands of entries at a busy key's rate, and
    lost updates between workers). A window's count can reach the rate twice around its
    boundary. A cache outage lets the call through: Redis down never refuses a request."""

    def allow_request(self, request, view):
        from accounts.ratelimit import Rate, hit

        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        self.wait_seconds = self.duration - self.timer() % self.duration
        return hit(
            scope=f"api:{self.scope}", key=key,
            limit=Rate(count=self.num_requests, window=self.duration),
        )  # fmt: skip

    def wait(self):
        return self.wait_seconds


class ShopApiKeyThrottle(CountingThrottle):
    """Calls per key (`DIGITAIX_API_RATE`), counted in the cache (Redis in production). If the
    cache is unreachable the call goes through: a Redis outage never refuses a request."""

    scope = "api_key"

    def get_cache_key(self, request, view):
        key = getattr(request.auth, "pk", None)
        return None if key is None else self.cache_format % {"scope": self.scope, "ident": key}


class PublicAddressThrottle(CountingThrottle):
    """The keyless endpoints (views with `throttle_scope = "api_public"`): calls per client
    address (accounts.clientip, behind DIGITAIX_TRUSTED_PROXIES proxies), in the cache.
    Other views are not counted here; a cache outage lets the call through."""

    scope = "api_public"

    def get_cache_key(self, request, view):
        if getattr(view, "throttle_scope", None) != self.scope:
            return None
        from accounts.clientip import client_ip

        return self.cache_format % {"scope": self.scope, "ident": client_ip(request._request)}


class ShopApiKeyScheme(OpenApiAuthenticationExtension):
    """How the schema documents the key (drf-spectacular cannot guess a custom scheme)."""

    target_class = "shops.access.ShopApiKeyAuthentication"
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": str(
                _("« Api-Key <clé> » : une clé créée dans l'espace de la boutique.")
            ),
        }


# Every operation may answer these as problem documents; the schema says so (a postprocessing
# hook of drf-spectacular), so clients and the generated-input tests know each answer's shape.
PROBLEM_RESPONSES = {
    "400": _("Valeurs invalides (voyez « errors »)."),
    "401": _("Clé d'API manquante, inconnue ou révoquée."),
    "403": _("Clé en lecture seule pour une écriture."),
    "404": _("Introuvable (ou d'une autre boutique)."),
    "405": _("Méthode non permise."),
    "406": _("Format de réponse non disponible."),
    "415": _("Format de requête non pris en charge (JSON seulement)."),
    "422": _("Clé d'idempotence déjà utilisée pour une autre requête."),
    "429": _("Trop de requêtes : réessayez plus tard."),
}
PROBLEM_SCHEMA = {
    "type": "object",
    "description": "RFC 9457",
    "properties": {
        "type": {
            "type": "string",
            "description": fr_en(
                "Le type du problème : toujours « about:blank ».",
                "The problem's type: always `about:blank`.",
            ),
        },
        "title": {
            "type": "string",
            "description": fr_en(
                "Le problème en quelques mots (en français par défaut).",
                "The problem in a few words (in French by default).",
            ),
        },
        "status": {
            "type": "integer",
            "description": fr_en("Le code HTTP de la réponse.", "The response's HTTP status code."),
        },
        "detail": {
            "type": "string",
            "description": fr_en(
                "Ce qui s'est passé (en français par défaut).",
                "What happened (in French by default).",
            ),
        },
        "errors": {
            "type": "object",
            "additionalProperties": True,
            "description": fr_en(
                "Valeurs invalides seulement : chaque champ et ses messages (pour /stock/, les "
                "lignes refusées avec leur numéro).",
                "Invalid values only: each field and its messages (for /stock/, the refused "
                "lines with their number).",
            ),
        },
    },
    "required": ["type", "title", "status"],
}


def problem_responses_hook(result, generator, request, public):
    """Add the problem document and its statuses to every operation of the schema."""
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    content = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for methods in result.get("paths", {}).values():
        for operation in methods.values():
            responses = operation.setdefault("responses", {})
            for code, description in PROBLEM_RESPONSES.items():
                responses.setdefault(code, {"description": str(description), "content": content})
    return result


@csrf_exempt
def api_not_found(request, *args, **kwargs):
    """/api/ addresses no route matches: 404 as a problem document, like the API's own."""
    from django.http import JsonResponse

    body = {
        "type": "about:blank",
        "title": str(TITLES[status.HTTP_404_NOT_FOUND]),
        "status": 404,
        "detail": str(_("Aucune ressource de l'API à cette adresse.")),
    }
    return JsonResponse(body, status=404, content_type=PROBLEM_CONTENT_TYPE)
