"""`<img {% image_attrs image "card" %} alt="…">`: a product photo's src, srcset, sizes, width
and height, from its renditions (catalog/renditions.py) once made, else from its original.

No query and no file access: the addresses follow from the original's name and the image's
row says which renditions exist, so a list of 100 cards costs what a list of 10 does.
"""

from dataclasses import dataclass

from django import template
from django.core.files.storage import default_storage
from django.utils.html import format_html
from django.utils.safestring import SafeString

from catalog.renditions import rendition_name

register = template.Library()


@dataclass(frozen=True)
class Layout:
    slot: int  # the rendition in `src` (the browser picks from `srcset` when it can)
    sizes: str  # how wide the picture is shown, for the browser's choice
    box: tuple[int, int]  # width and height attributes: the square the CSS crops it to…
    own_shape: bool = False  # …or the picture's own shape (that of the rendition in src)


# The widths follow static/digitaix/css/site.css: two cards a row on a phone, then never more
# than ~290 CSS px (3 or 4 a row); the product page's picture is half a 1140 px container.
LAYOUTS = {
    "card": Layout(400, "(min-width: 576px) 300px, 50vw", (400, 400)),
    "page": Layout(800, "(min-width: 768px) 540px, 100vw", (600, 600), own_shape=True),
    "thumb": Layout(400, "96px", (96, 96)),
}


@register.simple_tag
def image_attrs(image, layout: str) -> SafeString:
    shape = LAYOUTS[layout]
    original = image.original
    made = image.renditions if image.renditions_of == original.name else []
    if not made:
        width, height = shape.box
        return format_html('src="{}" width="{}" height="{}"', original.url, width, height)
    urls = {slot: default_storage.url(rendition_name(original.name, slot)) for slot, _, _ in made}
    slot, width, height = next(
        (size for size in made if size[0] == shape.slot), max(made, key=lambda size: size[0])
    )
    if not shape.own_shape:
        width, height = shape.box
    srcset = ", ".join(f"{urls[s]} {w}w" for s, w, _ in made)
    return format_html(
        'src="{}" srcset="{}" sizes="{}" width="{}" height="{}"',
        urls[slot], srcset, shape.sizes, width, height,
    )  # fmt: skip
