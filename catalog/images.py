"""Checking and resizing uploaded pictures (product photos, shop logos and banners).

Only JPEG, PNG and WebP are opened; a file whose header announces more pixels than we
accept is refused before any pixel is decoded (decompression bombs), and every accepted
picture is re-encoded at a bounded size, which also drops whatever else the file carried.
"""

from io import BytesIO
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # about 8000 × 5000: any phone photo, not a bomb


def image_clean(upload, *, max_size: tuple[int, int], max_bytes: int = MAX_BYTES) -> ContentFile:
    """A checked, resized copy of `upload`; a ValidationError in French otherwise."""
    if upload.size > max_bytes:
        raise ValidationError(
            _("L'image pèse %(size)s Mo : la limite est de %(limit)s Mo."),
            code="image_too_heavy",
            params={"size": round(upload.size / 1048576, 1), "limit": max_bytes // 1048576},
        )
    picture = _open(upload)
    picture = colour_mode(ImageOps.exif_transpose(picture))
    picture.thumbnail(max_size)
    out = BytesIO()
    if picture.mode == "RGBA":
        picture.save(out, "PNG", optimize=True)
        suffix = ".png"
    else:
        picture.save(out, "JPEG", quality=85, optimize=True)
        suffix = ".jpg"
    return ContentFile(out.getvalue(), name=Path(upload.name or "image").stem + suffix)


def colour_mode(picture: Image.Image) -> Image.Image:
    """The picture in RGBA when it has transparency, in RGB otherwise.

    A palette PNG keeps its transparency in `info["transparency"]`, not in an alpha band:
    converted to RGB it would lose it (a logo's transparent corners turned black). Converted
    before resizing, too: Pillow resizes a palette picture pixel by pixel (nearest), jagged.
    """
    transparent = "A" in picture.getbands() or "transparency" in picture.info
    return picture.convert("RGBA" if transparent else "RGB")


def _open(upload) -> Image.Image:
    """Header first (format, pixel count), then verify() (structure, checksums), then a
    fresh decode with load(): Pillow needs a new file object after verify()."""
    width, height = _header_size(upload)
    if width * height > MAX_PIXELS:
        raise _too_large(width, height)
    try:
        upload.seek(0)
        Image.open(upload, formats=ACCEPTED_FORMATS).verify()
        upload.seek(0)
        picture = Image.open(upload, formats=ACCEPTED_FORMATS)
        picture.load()
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise ValidationError(
            _("Cette image est abîmée ou incomplète : enregistrez-la à nouveau et réessayez."),
            code="image_broken",
        ) from error
    return picture


def _header_size(upload) -> tuple[int, int]:
    upload.seek(0)
    try:
        with Image.open(upload, formats=ACCEPTED_FORMATS) as picture:
            return picture.size
    except Image.DecompressionBombError as error:
        # Pillow refuses outright a header claiming over twice its own limit (~179 Mpx).
        raise _too_large(None, None) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ValidationError(
            _("Ce fichier n'est pas une image JPEG, PNG ou WebP."), code="image_format"
        ) from error


def _too_large(width: int | None, height: int | None) -> ValidationError:
    if width is None:
        return ValidationError(
            _("L'image est bien trop grande : 40 mégapixels au plus."), code="image_too_large"
        )
    return ValidationError(
        _("L'image est trop grande (%(w)s × %(h)s pixels) : 40 mégapixels au plus."),
        code="image_too_large",
        params={"w": width, "h": height},
    )
