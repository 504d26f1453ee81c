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
    picture = ImageOps.exif_transpose(picture)
    picture.thumbnail(max_size)
    keep_alpha = picture.mode in ("RGBA", "LA", "P") and "A" in picture.getbands()
    out = BytesIO()
    if keep_alpha:
        picture.convert("RGBA").save(out, "PNG", optimize=True)
        suffix = ".png"
    else:
        picture.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
        suffix = ".jpg"
    return ContentFile(out.getvalue(), name=Path(upload.name or "image").stem + suffix)


def _open(upload) -> Image.Image:
    upload.seek(0)
    try:
        picture = Image.open(upload, formats=ACCEPTED_FORMATS)
    except (UnidentifiedImageError, OSError) as error:
        raise ValidationError(
            _("Ce fichier n'est pas une image JPEG, PNG ou WebP."), code="image_format"
        ) from error
    if picture.width * picture.height > MAX_PIXELS:
        raise ValidationError(
            _("L'image est trop grande (%(w)s × %(h)s pixels) : 40 mégapixels au plus."),
            code="image_too_large",
            params={"w": picture.width, "h": picture.height},
        )
    try:
        picture.load()
    except (OSError, Image.DecompressionBombError) as error:
        raise ValidationError(
            _("Cette image est abîmée ou incomplète : enregistrez-la à nouveau et réessayez."),
            code="image_broken",
        ) from error
    return picture
