"""Product pictures drawn with Pillow, so the demo town needs no download and no fixture.

Each picture is a 400x400 JPEG (about 10 KB): a colour per category, a shape, the
product's initials and its title. Every product gets a file of its own: Oscar deletes an
image's file along with its row (OSCAR_DELETE_IMAGE_FILES), and shared files would vanish
from the other products. The same title in the same category is drawn once, though: a town
of 41,540 products has about 9,000 titles, and drawing was most of seeding's time.
"""

import colorsys
import io
import textwrap
import unicodedata
import zlib
from functools import lru_cache
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from PIL import Image, ImageDraw, ImageFont

FOLDER = "demo/produits"
_SIZE = 400
_SMALL_WORDS = {"de", "du", "des", "la", "le", "les", "au", "aux", "à", "en", "et", "d", "l"}

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


@lru_cache(maxsize=32)
def font(size: int, *, bold: bool = False) -> tuple[Font, bool]:
    """DejaVu when the system has it; otherwise Pillow's own font, which has no accents.

    Returns the font and whether it can draw accents (else pass the text through `plain`).
    """
    try:
        return ImageFont.truetype("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf", size), True
    except OSError:
        return ImageFont.load_default(size=size), False


def _fonts() -> tuple[Font, Font, Font, bool]:
    """The initials, title and label fonts of a product picture, and whether accents work."""
    (bold, accents), (regular, _), (label, _) = font(120, bold=True), font(26), font(20)
    return bold, regular, label, accents


def plain(text: str) -> str:
    """Drop accents for the fallback font, whose glyph for "é" is an empty box."""
    text = text.replace("œ", "oe").replace("Œ", "OE").replace("—", "-").replace("’", "'")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=256)
def _palette(top: str, sub: str) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    """A background and a lighter shape colour: a hue per top category, a shade per sub.

    crc32 rather than hash(): Python salts str hashes per process, colours must not move.
    """
    hue = (zlib.crc32(top.encode()) % 360) / 360
    lightness = 0.32 + (zlib.crc32(sub.encode()) % 14) / 100

    def rgb(light: float) -> tuple[int, int, int]:
        red, green, blue = colorsys.hls_to_rgb(hue, light, 0.5)
        return round(red * 255), round(green * 255), round(blue * 255)

    return rgb(lightness), rgb(lightness + 0.12)


def initials(title: str) -> str:
    """First letters of the first two real words: "Pain de campagne au levain" -> "PC"."""
    words = [w for w in title.replace("'", " ").split() if w.lower() not in _SMALL_WORDS]
    letters = [w[0] for w in words if w[0].isalpha()][:2]
    return "".join(letters).upper() or "?"


@lru_cache(maxsize=16_384)  # about 10 KB each: 160 MB at most, for the largest towns
def render(*, title: str, top: str, sub: str) -> bytes:
    """The JPEG bytes of one product picture; the title picks the shape, so the same product
    looks the same in every shop."""
    variant = zlib.crc32(title.encode())
    bold, regular, label, accents = _fonts()
    text = (lambda s: s) if accents else plain
    background, shape = _palette(top, sub)
    image = Image.new("RGB", (_SIZE, _SIZE), background)
    draw = ImageDraw.Draw(image)
    box = (80, 50, 320, 290)
    if variant % 3 == 0:
        draw.ellipse(box, fill=shape)
    elif variant % 3 == 1:
        draw.rounded_rectangle(box, radius=36, fill=shape)
    else:
        draw.polygon([(200, 40), (330, 170), (200, 300), (70, 170)], fill=shape)
    draw.text((200, 170), text(initials(title)), font=bold, fill="white", anchor="mm")
    draw.text((200, 24), text(sub.upper()), font=label, fill="white", anchor="mm")
    for number, line in enumerate(_lines(text(title), ellipsis="…" if accents else "...")):
        draw.text((200, 330 + 32 * number), line, font=regular, fill="white", anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=72)
    return buffer.getvalue()


def _lines(title: str, *, ellipsis: str, width: int = 25) -> list[str]:
    """One line, or two of balanced length ("Pain au lait bio / le lot de 6"), else cut."""
    if len(title) <= width - 3:
        return [title]
    words = title.split()
    splits = [(" ".join(words[:i]), " ".join(words[i:])) for i in range(1, len(words))]
    fitting = [pair for pair in splits if max(map(len, pair)) <= width]
    if fitting:
        return list(min(fitting, key=lambda pair: max(map(len, pair))))
    first, *rest = textwrap.wrap(title, width=width)
    return [first, textwrap.shorten(" ".join(rest), width=width, placeholder=ellipsis)]


def store(*, name: str, content: bytes, folder: str = FOLDER) -> str:
    """Save under MEDIA_ROOT with a stable name, replacing a file left by an earlier run.

    A stable name keeps reruns after a database reset from piling up renamed copies. On the
    file system the bytes are written straight to their place (Django's storage checks and
    renames for every file: a third of the time of drawing one).
    """
    path = f"{folder}/{name}"
    if isinstance(default_storage, FileSystemStorage):
        target = Path(default_storage.path(path))
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        return path
    if default_storage.exists(path):
        default_storage.delete(path)
    return default_storage.save(path, ContentFile(content))
