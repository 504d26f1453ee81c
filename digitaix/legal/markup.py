"""The town staff's texts are written as plain text, not HTML: a blank line starts a new
paragraph, a line starting with "## " is a heading, lines starting with "- " make a list, and
addresses (https://…, e-mails) become links. `markup_html` turns that into HTML; templates
print the result through `|rich_text`, the one sanitiser, like any text a person typed."""

import re

from django.utils.html import escape

_LINK = re.compile(r"(https?://[^\s<]+[^\s<.,;:!?)»])|([\w.+-]+@[\w-]+(?:\.[\w-]+)+)")


def _inline(text: str) -> str:
    """One line: escaped, its addresses made links."""
    out, last = [], 0
    for match in _LINK.finditer(text):
        out.append(escape(text[last : match.start()]))
        url, email = match.group(1), match.group(2)
        href = url or f"mailto:{email}"
        out.append(f'<a href="{escape(href)}">{escape(url or email)}</a>')
        last = match.end()
    out.append(escape(text[last:]))
    return "".join(out)


def markup_html(text: str | None) -> str:
    """The plain-text conventions above as HTML (not yet sanitised: print it with |rich_text)."""
    blocks, paragraph, items = [], [], []

    def flush() -> None:
        if paragraph:
            blocks.append("<p>" + "<br>".join(_inline(line) for line in paragraph) + "</p>")
            paragraph.clear()
        if items:
            blocks.append("<ul>" + "".join(f"<li>{_inline(i)}</li>" for i in items) + "</ul>")
            items.clear()

    for raw in (text or "").replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        if not line:
            flush()
        elif line.startswith("## "):
            flush()
            blocks.append(f"<h2>{_inline(line[3:].strip())}</h2>")
        elif line.startswith("- "):
            if paragraph:
                flush()
            items.append(line[2:].strip())
        else:
            if items:
                flush()
            paragraph.append(line)
    flush()
    return "\n".join(blocks)
