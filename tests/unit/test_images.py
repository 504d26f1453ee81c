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
