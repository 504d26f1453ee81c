"""Renditions of product photos: every list shows a copy sized for its slot, not the original.

A photo is kept as uploaded (at most 1600 px, re-encoded by catalog.images) for the product
page's zoom. Cards, basket lines and the product page's main picture show WebP copies 400 and
800 px wide, stored at paths derived from the original's name:

    images/products/2025/03/miel.jpg -> renditions/400/images/products/2025/03/miel.jpg.webp

so a template makes their addresses without a query, and the image's row says which exist
(`ProductImage.renditions_of` and `renditions`, read with the images a list prefetches).
The original's extension stays in the name: "miel.jpg" and "miel.png" may both exist.

WebP only, no JPEG copy: every browser in use reads it (Safari since version 14, 2020), and a
second format would need <picture> markup and twice the files for no reader. While an image
has no rendition yet the templates show its original, as before. Shops' logos and banners
get theirs the same way, at their own widths (shops.renditions).
"""

import math
from dataclasses import dataclass
from io import BytesIO
from typing import IO

from PIL import Image, ImageOps

from catalog.images import colour_mode

FOLDER = "renditions"
#: The widths made, in pixels: a card is at most ~300 CSS px wide, so 400 for a plain screen
#: and 800 for a dense one (or the product page's main picture).
SLOTS = (400, 800)
#: A rendition heavier than MAX_BYTES is encoded again at the next quality, down to the last.
QUALITIES = (80, 65, 50)
MAX_BYTES = 100 * 1024
_EXIF_ORIENTATION = 0x0112


@dataclass(frozen=True)
class Rendition:
    slot: int
    width: int
    height: int
    content: bytes


def rendition_name(original: str, slot: int) -> str:
    """The storage name of an original's rendition for a slot (400 or 800)."""
    return f"{FOLDER}/{slot}/{original}.webp"


def renditions_render(
    source: IO[bytes], *, effort: int = 4, slots: tuple[int, ...] = SLOTS
) -> list[Rendition]:
    """The WebP renditions of the picture in `source`, smallest first, never enlarged.

    A picture narrower than a slot gets that slot at its own width, once: a 600 px original
    has a 400 and a 600 px rendition, a 300 px one only a 300 px rendition. Transparency
    (an alpha band, or a palette PNG's transparent colour) is kept; a picture whose alpha is
    opaque everywhere is encoded without it. `effort` is WebP's method, 0 (fastest) to 6
    (smallest). `slots`: the widths, SLOTS for a product photo (a shop's logo has its own).
    Raises what Pillow raises on a broken file.
    """
    with Image.open(source) as opened:
        _draft(opened, max(slots))
        picture = colour_mode(ImageOps.exif_transpose(opened))
    if picture.mode == "RGBA" and picture.getextrema()[3] == (255, 255):
        picture = picture.convert("RGB")
    widths: dict[int, int] = {}
    for slot in slots:
        width = min(slot, picture.width)
        if width not in widths.values():
            widths[slot] = width
    made, (full_width, full_height) = [], picture.size
    for slot, width in sorted(widths.items(), reverse=True):
        height = max(1, round(full_height * width / full_width))
        if picture.size != (width, height):
            picture = picture.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
        made.append(Rendition(slot, width, height, _webp(picture, effort)))
    return made[::-1]


def _draft(picture: Image.Image, width: int) -> None:
    """Let a JPEG decode at a half, quarter or eighth of its size when that still leaves
    `width` pixels across: a 1600 px photo then decodes four times faster."""
    if picture.format != "JPEG":
        return
    stored_width = picture.width
    if picture.getexif().get(_EXIF_ORIENTATION, 1) in (5, 6, 7, 8):
        stored_width = picture.height  # shown turned a quarter: its height is shown across
    scale = width / stored_width
    if scale < 1:
        picture.draft(None, (math.ceil(picture.width * scale), math.ceil(picture.height * scale)))


def _webp(picture: Image.Image, effort: int) -> bytes:
    for quality in QUALITIES:
        out = BytesIO()
        picture.save(out, "WEBP", quality=quality, method=effort)
        if out.tell() <= MAX_BYTES:
            break
    return out.getvalue()
