"""Uploaded pictures: only JPEG/PNG/WebP, no decompression bomb, always resized."""

from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from catalog.images import image_clean


def upload(fmt: str, size=(1600, 1200), mode="RGB", name="photo") -> SimpleUploadedFile:
    data = BytesIO()
    Image.new(mode, size, "white").save(data, fmt)
    return SimpleUploadedFile(f"{name}.{fmt.lower()}", data.getvalue())


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_accepted_formats_are_resized_and_reencoded(fmt):
    cleaned = image_clean(upload(fmt), max_size=(800, 800))
    picture = Image.open(BytesIO(cleaned.read()))
    assert picture.format == "JPEG" and picture.size == (800, 600)
    assert cleaned.name == "photo.jpg"


def test_transparency_is_kept_as_png():
    cleaned = image_clean(upload("PNG", (300, 300), "RGBA", "logo"), max_size=(256, 256))
    picture = Image.open(BytesIO(cleaned.read()))
    assert picture.format == "PNG" and picture.mode == "RGBA" and picture.size == (256, 256)


@pytest.mark.parametrize(
    "content", [b"GIF89a" + b"\0" * 64, b"%PDF-1.7 not an image", b"<svg></svg>", b""]
)
def test_other_files_are_refused_with_a_clear_message(content):
    with pytest.raises(ValidationError) as error:
        image_clean(SimpleUploadedFile("photo.jpg", content), max_size=(800, 800))
    assert error.value.code == "image_format"
    assert "JPEG, PNG ou WebP" in error.value.messages[0]


def test_a_gif_is_refused_even_when_it_is_a_real_image():
    with pytest.raises(ValidationError) as error:
        image_clean(upload("GIF", (10, 10), "P"), max_size=(800, 800))
    assert error.value.code == "image_format"


def test_a_decompression_bomb_is_refused_before_decoding():
    bomb = upload("PNG", (10_000, 5_000), "1", "bomb")  # 50 megapixels in a few kilobytes
    assert bomb.size < 100_000
    with pytest.raises(ValidationError) as error:
        image_clean(bomb, max_size=(800, 800))
    assert error.value.code == "image_too_large"


def test_a_too_heavy_file_is_refused():
    with pytest.raises(ValidationError) as error:
        image_clean(upload("PNG"), max_size=(800, 800), max_bytes=1000)
    assert error.value.code == "image_too_heavy"
    assert "Mo" in error.value.messages[0]


def test_a_truncated_file_is_refused():
    whole = upload("JPEG").read()
    with pytest.raises(ValidationError) as error:
        image_clean(SimpleUploadedFile("cut.jpg", whole[: len(whole) // 3]), max_size=(800, 800))
    assert error.value.code == "image_broken"


def _png(width: int, height: int, *, crc_ok: bool = True) -> bytes:
    """A PNG whose header claims `width` × `height` pixels, with almost no data behind it."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) if crc_ok or kind != b"IDAT" else 0
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


def test_a_header_claiming_100000_by_100000_pixels_is_a_clear_refusal():
    """Pillow itself raises DecompressionBombError (not an OSError) on such a header."""
    with pytest.raises(ValidationError) as error:
        image_clean(SimpleUploadedFile("bomb.png", _png(100_000, 100_000)), max_size=(800, 800))
    assert error.value.code == "image_too_large"
    assert "40 mégapixels" in error.value.messages[0]


def test_a_picture_with_a_corrupt_checksum_is_refused():
    with pytest.raises(ValidationError) as error:
        image_clean(SimpleUploadedFile("bad.png", _png(8, 8, crc_ok=False)), max_size=(800, 800))
    assert error.value.code == "image_broken"


def _palette_png_half_transparent() -> bytes:
    """A 100 × 100 palette PNG: its left half transparent (colour 0), its right half green."""
    picture = Image.new("P", (100, 100), 0)
    picture.putpalette([255, 0, 0, 0, 160, 0])
    picture.paste(1, (50, 0, 100, 100))
    data = BytesIO()
    picture.save(data, "PNG", transparency=0)
    return data.getvalue()


def test_a_palette_png_keeps_its_transparency():
    """Its transparency is not an alpha band but the PNG's tRNS chunk: it used to become a
    JPEG with a red left half."""
    upload = SimpleUploadedFile("logo.png", _palette_png_half_transparent())
    cleaned = image_clean(upload, max_size=(50, 50))
    picture = Image.open(BytesIO(cleaned.read()))
    assert cleaned.name == "logo.png" and picture.mode == "RGBA" and picture.size == (50, 50)
    assert picture.getpixel((5, 25))[3] == 0
    assert picture.getpixel((45, 25)) == (0, 160, 0, 255)
