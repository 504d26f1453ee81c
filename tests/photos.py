"""Pictures for the tests of product photos and their renditions, drawn with Pillow.

`photo()` looks like a phone photo after upload (1600 px, JPEG quality 85, ~600 KB): colour
gradients, blurred shapes and grain, so that its renditions weigh what a real photo's would;
a flat colour would compress to almost nothing and prove no weight limit.
"""

from io import BytesIO
from random import Random

from PIL import Image, ImageDraw, ImageFilter


def photo(size: int = 1600, *, seed: int = 7) -> bytes:
    """A square `size` px JPEG photo, the same bytes for the same seed."""
    rnd = Random(seed)
    ramp = Image.linear_gradient("L").resize((size, size))
    picture = Image.merge("RGB", (ramp, ramp.rotate(90), ramp.rotate(45)))
    draw = ImageDraw.Draw(picture)
    for _ in range(60):
        x, y = rnd.randrange(size), rnd.randrange(size)
        extent = rnd.randrange(size // 40, size // 4)
        colour = (rnd.randrange(256), rnd.randrange(256), rnd.randrange(256))
        draw.ellipse((x, y, x + extent, y + extent), fill=colour)
    picture = picture.filter(ImageFilter.GaussianBlur(3))
    grain = Image.frombytes("L", (size, size), rnd.randbytes(size * size)).convert("RGB")
    return encoded(Image.blend(picture, grain, 0.1), "JPEG", quality=85)


def encoded(picture: Image.Image, fmt: str, **options) -> bytes:
    out = BytesIO()
    picture.save(out, fmt, **options)
    return out.getvalue()


def palette_png(size: int = 1000) -> bytes:
    """A palette PNG, its left half transparent (colour 0, the tRNS chunk), its right half green."""
    picture = Image.new("P", (size, size), 0)
    picture.putpalette([255, 0, 0, 0, 160, 0])
    picture.paste(1, (size // 2, 0, size, size))
    return encoded(picture, "PNG", transparency=0)


def rgba(size: int = 1000) -> Image.Image:
    """An RGBA picture: its left half transparent, its right half half-opaque blue."""
    picture = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    picture.paste((0, 0, 200, 128), (size // 2, 0, size, size))
    return picture
