"""Requests no view should see: a clear French page (400 or 413) before anything is read.

- A path, a query string or a url-encoded form holding a NUL byte or bytes that are not
  UTF-8: Django would silently turn invalid bytes into "�", and PostgreSQL refuses NUL in any
  text (a 500 wherever a view hands the path, `request.GET` or `request.POST` to a query).
  Multipart forms are read by Django itself; their text fields are checked for NUL here too
  (file contents are not: each upload's own check reads them).
- A body larger than DIGITAIX_MAX_UPLOAD_MB: refused from its Content-Length, before a byte
  of it is read, so a 300 MB upload never reaches the disk. Django reads no more than the
  Content-Length it was given (and nothing without one), so that header is a hard bound.
  The proxy in front refuses the same size first (its body limit).
"""

from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

URLENCODED = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"


class BadInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _content_length(request) > settings.DIGITAIX_MAX_UPLOAD_MB * 1024 * 1024:
            return _too_big(request)
        try:
            readable = (
                "\x00" not in request.path_info
                and _query_readable(request)
                and _body_readable(request)
            )
        except RequestDataTooBig:
            return _too_big(request)
        if not readable:
            return refusal(
                request,
                status=400,
                title=_("Caractères non valides"),
                message=_(
                    "Ce qui a été envoyé contient des caractères qui ne sont pas du texte (un "
                    "octet nul ou un encodage autre que UTF-8) : rien n'a été enregistré. "
                    "Saisissez le texte à nouveau, sans le coller depuis un fichier binaire."
                ),
            )
        return self.get_response(request)


def refusal(request, *, status: int, title: str, message: str) -> HttpResponse:
    if request.path.startswith("/api/"):  # the API answers problem documents (RFC 9457)
        from django.http import JsonResponse

        body = {"type": "about:blank", "title": str(title), "status": status,
                "detail": str(message)}  # fmt: skip
        return JsonResponse(body, status=status, content_type="application/problem+json")
    html = render_to_string(
        "digitaix/bad_input.html", {"title": title, "message": message}, request=None
    )
    return HttpResponse(html, status=status)


def _too_big(request) -> HttpResponse:
    return refusal(
        request,
        status=413,
        title=_("Envoi trop lourd"),
        message=_(
            "L'envoi dépasse %(limit)s Mo : rien n'a été enregistré. Réduisez la taille des "
            "fichiers (une photo de téléphone redimensionnée suffit) et réessayez."
        )
        % {"limit": settings.DIGITAIX_MAX_UPLOAD_MB},
    )


def _content_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def text_readable(raw: bytes) -> bool:
    """True when `raw` (already percent-decoded) is UTF-8 text without a NUL byte."""
    if b"\x00" in raw:
        return False
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _urlencoded_readable(encoded: bytes) -> bool:
    return text_readable(unquote_to_bytes(encoded.replace(b"+", b" ")))


def _query_readable(request) -> bool:
    query = request.META.get("QUERY_STRING", "")
    # WSGI hands the raw bytes over as latin-1 text (PEP 3333); anything else is already text.
    try:
        raw = query.encode("latin-1")
    except UnicodeEncodeError:
        raw = query.encode("utf-8", errors="surrogateescape")
    return _urlencoded_readable(raw)


def _body_readable(request) -> bool:
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return True
    content_type = request.content_type or ""
    if content_type == URLENCODED:
        return _urlencoded_readable(request.body)
    if content_type == MULTIPART:
        return not any("\x00" in value for value in _text_values(request.POST))
    return True


def _text_values(post):
    for key, values in post.lists():
        yield key
        yield from values
