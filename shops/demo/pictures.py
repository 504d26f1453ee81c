"""Shop logos and banners drawn with Pillow, like the product pictures they sit next to.

A logo is a 256x256 PNG (a few KB): the shop's initials on its trade's colour, stored with
its small copies for the lists, as an uploaded logo gets them (shops.renditions). A banner
gets none: at 17 KB it weighs little more than its copies would, and rendering a thousand
of them would add 15 s to seeding ten times the town; the storefront shows it as it is. A banner is
a 1200x300 JPEG (about 20 KB): a pattern of discs in that colour and the shop's name.
Files are named after the shop's code, so a rerun after a database reset overwrites them
instead of piling up renamed copies.
"""

import functools
import io
from random import Random

from PIL import Image, ImageDraw

from catalog.demo import images
from catalog.renditions import renditions_render
from catalog.services import image_renditions_store
from shops.demo.trades import COLOURS, Trade
from shops.renditions import LOGO_SLOTS

LOGOS, BANNERS = "shops/logos", "shops/banners"
_LOGO, _BANNER = 256, (1200, 300)


def _lighter(colour: tuple[int, int, int], amount: float) -> tuple[int, int, int]:
    red, green, blue = (round(c + (255 - c) * amount) for c in colour)
    return red, green, blue


def _text(value: str, accents: bool) -> str:
    return value if accents else images.plain(value)


def logo(*, name: str, trade: str) -> bytes:
    """The PNG bytes of a shop's logo: a light ring and the initials of its name."""
    colour = COLOURS.get(trade, COLOURS[Trade.AUTRE])
    image = Image.new("RGB", (_LOGO, _LOGO), colour)
    draw = ImageDraw.Draw(image)
    draw.ellipse((18, 18, _LOGO - 18, _LOGO - 18), outline=_lighter(colour, 0.45), width=8)
    font, accents = images.font(96, bold=True)
    text = _text(images.initials(name), accents)
    draw.text((_LOGO // 2, _LOGO // 2), text, font=font, fill="white", anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=False)
    return buffer.getvalue()


def banner(*, name: str, trade: str, label: str, rng: Random) -> bytes:
    """The JPEG bytes of a shop's banner: soft discs scattered by `rng`, name and trade."""
    colour = COLOURS.get(trade, COLOURS[Trade.AUTRE])
    width, height = _BANNER
    image = Image.new("RGB", _BANNER, colour)
    draw = ImageDraw.Draw(image)
    for _ in range(14):
        x, y, radius = rng.randint(0, width), rng.randint(0, height), rng.randint(30, 150)
        shade = _lighter(colour, rng.choice((0.08, 0.14, 0.2)))
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=shade)
    title, accents = images.font(_title_size(name), bold=True)
    subtitle, _ = images.font(30)
    middle = width // 2
    draw.text((middle, 130), _text(name, accents), font=title, fill="white", anchor="mm")
    draw.text((middle, 210), _text(label, accents), font=subtitle, fill="white", anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=70)
    return buffer.getvalue()


def _title_size(name: str) -> int:
    """Large for a short name, smaller for a long one, so the name fits in 1,100 pixels."""
    return max(32, min(72, 1750 // max(len(name), 1)))


def pictures_store(
    *, code: str, name: str, trade: str, label: str, rng: Random | None
) -> tuple[str, str, list]:
    """Draw and save a shop's logo with its small copies (shops.renditions) and, given an `rng`,
    its banner; return their paths and the copies' sizes (the shop's `logo_renditions`)."""
    content = logo(name=name, trade=trade)
    logo_path = images.store(name=f"{code}.png", content=content, folder=LOGOS)
    sizes = image_renditions_store(original=logo_path, renditions=_logo_renditions(content))
    if rng is None:
        return logo_path, "", sizes
    content = banner(name=name, trade=trade, label=label, rng=rng)
    return logo_path, images.store(name=f"{code}.jpg", content=content, folder=BANNERS), sizes


@functools.lru_cache(maxsize=1024)
def _logo_renditions(content: bytes) -> list:
    """Shops of one trade with the same initials share a logo: each drawing is rendered once
    (at WebP's faster effort: these are flat drawings of a few KB)."""
    return renditions_render(io.BytesIO(content), slots=LOGO_SLOTS, effort=2)
