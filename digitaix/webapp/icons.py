"""Draws the merchant app's icons once (Pillow); the PNGs are committed, not built at run time.

    python -m digitaix.webapp.icons    # writes static/digitaix/img/app/*.png

A white shop front (striped awning, window, door) on the space's brick colour. "icon-*" are
rounded squares, shown as they are; "maskable-*" fill the whole square and keep the drawing
inside the central safe circle (80 % of the width), since the phone crops them to its shape.
"""

from pathlib import Path

from PIL import Image, ImageDraw

BRICK = (122, 46, 20, 255)  # #7a2e14, the manifest's theme colour
CREAM = (255, 250, 243, 255)  # #fffaf3, the site's page colour
SAND = (246, 235, 221, 255)  # #f6ebdd
OUT = Path(__file__).resolve().parents[2] / "static" / "digitaix" / "img" / "app"
OVERSAMPLE = 4


def _shop_front(draw: ImageDraw.ImageDraw, x0: float, y0: float, size: float) -> None:
    """The drawing, in a `size` square whose top-left corner is (x0, y0)."""

    def box(left, top, right, bottom):
        return [x0 + left * size, y0 + top * size, x0 + right * size, y0 + bottom * size]

    draw.rectangle(box(0.14, 0.40, 0.86, 0.90), fill=CREAM)  # the walls
    draw.rectangle(box(0.22, 0.52, 0.50, 0.74), fill=BRICK)  # the window
    draw.rectangle(box(0.58, 0.52, 0.78, 0.90), fill=BRICK)  # the door
    stripes = 5
    width = 0.84 / stripes
    for i in range(stripes):
        left = 0.08 + i * width
        colour = CREAM if i % 2 == 0 else SAND
        draw.rectangle(box(left, 0.10, left + width, 0.32), fill=colour)
        draw.pieslice(box(left, 0.22, left + width, 0.42), 0, 180, fill=colour)  # scallops


def icon(size: int, *, maskable: bool) -> Image.Image:
    big = size * OVERSAMPLE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if maskable:
        draw.rectangle([0, 0, big, big], fill=BRICK)
        drawing = big * 0.80 / 2**0.5  # the square inside the safe circle
    else:
        draw.rounded_rectangle([0, 0, big - 1, big - 1], radius=big * 0.22, fill=BRICK)
        drawing = big * 0.78
    offset = (big - drawing) / 2
    _shop_front(draw, offset, offset, drawing)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        icon(size, maskable=False).save(OUT / f"icon-{size}.png", optimize=True)
        icon(size, maskable=True).save(OUT / f"maskable-{size}.png", optimize=True)


if __name__ == "__main__":
    main()
