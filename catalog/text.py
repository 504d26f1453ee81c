"""Text shared by every app: search normalisation, and the one sanitiser of rich text.

Normalisation is shared by indexing and querying, so both sides always agree. Rich text
(a product's or category's description) is HTML typed by merchants, residents or staff:
`rich_text_clean` keeps only a small allowlist, so nothing they write can ever run as code.
The only text the pages print unescaped comes from here: that sanitiser's output, and data
written as JSON for a script data block (`json_data_block`), escaped as `json_script` does.
"""

import html
import json
import re
import unicodedata

import nh3
from django.utils.safestring import SafeString, mark_safe

_NOT_WORD = re.compile(r"[^0-9a-z]+")


def normalize(text: str) -> str:
    """Lower-case, strip accents and punctuation: "Boulangère !" -> "boulangere"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NOT_WORD.sub(" ", stripped.lower().replace("œ", "oe").replace("æ", "ae")).strip()


def light_stem(word: str) -> str:
    """A crude French plural stripper for the SQLite fallback ("fleurs" -> "fleur")."""
    if len(word) > 3 and word[-1] in "sx":
        return word[:-1]
    return word


# Paragraphs, line breaks, lists, bold/italic and links: nothing else survives. No `style`, no
# `on*` handler, no `javascript:` link; <script> and <style> go with their content.
RICH_TEXT_TAGS = frozenset({"p", "br", "ul", "ol", "li", "strong", "b", "em", "i", "a"})
# A page of its own (the town's legal notice, terms, privacy notice) may also have headings:
# below the page's <h1>, so never a first-level one.
RICH_TEXT_PAGE_TAGS = RICH_TEXT_TAGS | {"h2", "h3"}
RICH_TEXT_ATTRIBUTES = {"a": {"href", "title"}}
RICH_TEXT_URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
RICH_TEXT_LINK_REL = "nofollow noopener"


class CleanHTML(str):
    """Text `rich_text_clean` returned. Cleaning it again is skipped (a CSV import would
    otherwise clean each description three times); any string made from it (concatenated,
    sliced, loaded back from the database) is a plain `str` again, so cleaned again."""

    __slots__ = ()


def rich_text_html(html: str | None, *, headings: bool = False) -> SafeString:
    """What a page prints of user HTML: the sanitiser's output, and only it, made printable
    unescaped. The one place such text is trusted by templates (`|rich_text`, and
    `|rich_text_page` for a page of its own, which keeps <h2> and <h3>)."""
    return mark_safe(rich_text_clean(html, headings=headings))  # noqa: S308 - the allowlist's


def json_data_block(data) -> SafeString:
    """`data` (user text included) as the body of a `<script>` data block such as JSON-LD:
    JSON whose every `<`, `>` and `&` is written `\\u003C`, `\\u003E`, `\\u0026` (Django's
    `json_script` escapes), so no text can close the block, open a comment or start a tag."""
    from django.core.serializers.json import DjangoJSONEncoder
    from django.utils.html import _json_script_escapes

    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
    return mark_safe(text.translate(_json_script_escapes))  # noqa: S308 - no <, > or & left


def rich_text_clean(html: str | None, *, headings: bool = False) -> CleanHTML:
    """The one sanitiser: `html` reduced to the allowlist, safe to print as HTML.

    `headings` also keeps <h2> and <h3>, for a page of its own. Idempotent (cleaning clean
    text changes nothing), so every writer may call it again.
    """
    if type(html) is CleanHTML and not headings:
        return html
    return CleanHTML(
        nh3.clean(
            html or "",
            tags=set(RICH_TEXT_PAGE_TAGS if headings else RICH_TEXT_TAGS),
            attributes=RICH_TEXT_ATTRIBUTES,
            url_schemes=set(RICH_TEXT_URL_SCHEMES),
            link_rel=RICH_TEXT_LINK_REL,
            strip_comments=True,
        )
    )


def rich_text_plain(text: str | None) -> str:
    """Rich text as plain text (no tags, entities decoded), for a summary or a meta tag.

    Not safe to mark safe: the caller's template escapes it, as any plain text.
    """
    return html.unescape(nh3.clean(text or "", tags=set(), strip_comments=True))
