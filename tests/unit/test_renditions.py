"""A product photo's renditions (catalog/renditions.py): small, never enlarged, transparent
where the original is."""

from io import BytesIO

import pytest
from PIL import Image

from catalog.renditions import MAX_BYTES, rendition_name, renditions_render
from tests.photos import encoded, palette_png, photo, rgba


def opened(content: bytes) -> Image.Image:
    picture = Image.open(BytesIO(content))
    picture.load()
    return picture


def test_a_1600_px_photo_reaches_a_card_under_100_kb_and_800_px():
    original = photo(1600)
    assert len(original) > 400_000  # what a card downloaded before: the original itself
    renditions = renditions_render(BytesIO(original))
    assert [(r.slot, r.width, r.height) for r in renditions] == [(400, 400, 400), (800, 800, 800)]
    for rendition in renditions:
        picture = opened(rendition.content)
        assert picture.format == "WEBP" and picture.size == (rendition.width, rendition.height)
        assert len(rendition.content) <= MAX_BYTES == 100 * 1024
    assert len(renditions[0].content) < 30_000  # the card's src, on a plain screen


@pytest.mark.parametrize(
    ("width", "made"),
    [(600, [(400, 400, 300), (800, 600, 450)]), (400, [(400, 400, 300)]), (240, [(400, 240, 180)])],
)
def test_a_small_photo_is_never_enlarged_nor_made_twice_at_the_same_width(width, made):
    content = encoded(Image.new("RGB", (width, width * 3 // 4), "tan"), "JPEG")
    assert [(r.slot, r.width, r.height) for r in renditions_render(BytesIO(content))] == made


@pytest.mark.parametrize(
    "content",
    [palette_png(), encoded(rgba(), "PNG"), encoded(rgba(), "WEBP", lossless=True)],
    ids=["palette PNG", "RGBA PNG", "RGBA WebP"],
)
def test_transparency_is_kept(content):
    for rendition in renditions_render(BytesIO(content)):
        picture = opened(rendition.content)
        assert picture.mode == "RGBA"
        assert picture.getpixel((10, rendition.height // 2))[3] == 0  # the transparent half
        right = picture.getpixel((rendition.width - 10, rendition.height // 2))
        assert right[3] > 100  # the opaque (or half-opaque) half stays


def test_an_opaque_picture_with_an_alpha_band_loses_only_the_band():
    content = encoded(Image.new("RGBA", (900, 900), (200, 30, 30, 255)), "PNG")
    for rendition in renditions_render(BytesIO(content)):
        picture = opened(rendition.content)
        assert picture.mode == "RGB" and picture.getpixel((5, 5))[0] > 180


def test_a_photo_taken_sideways_is_shown_upright():
    """EXIF orientation 6: stored 1200 × 900, shown 900 × 1200 (an original from before
    uploads were re-encoded upright, or from an import)."""
    exif = Image.Exif()
    exif[0x0112] = 6
    content = encoded(Image.new("RGB", (1200, 900), "olive"), "JPEG", exif=exif)
    renditions = renditions_render(BytesIO(content))
    assert [(r.width, r.height) for r in renditions] == [(400, 533), (800, 1067)]


def test_a_broken_file_raises_what_pillow_raises():
    with pytest.raises(OSError):
        renditions_render(BytesIO(photo(400)[:300]))


def test_a_renditions_name_keeps_the_originals_whole_name():
    """Both miel.jpg and miel.png may exist in a folder: their renditions must not clash."""
    assert rendition_name("images/products/2026/01/miel.jpg", 800) == (
        "renditions/800/images/products/2026/01/miel.jpg.webp"
    )
