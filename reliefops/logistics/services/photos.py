"""The photo of a signed delivery note: a real JPEG, PNG or WebP image of limited size.

The type is read from the image itself (Pillow), never from the name or the browser's
content type; the file is re-encoded without its metadata (a phone's photo carries its
GPS position), stored under a random name by the delivery service and served only
through the convoy's page to users who see the convoy whole.
"""

from __future__ import annotations

import io
from typing import Any

from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from reliefops.core.errors import InvalidInput

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


def photo_check(upload: Any) -> str:
    """The photo's content type, or :class:`InvalidInput` saying what is wrong with it."""
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:
        raise InvalidInput(
            _("The photo is larger than %(mb)s MB.") % {"mb": MAX_BYTES // (1024 * 1024)},
            field="photo",
        )
    upload.seek(0)
    content = upload.read(MAX_BYTES + 1)
    upload.seek(0)
    if len(content) > MAX_BYTES:
        raise InvalidInput(
            _("The photo is larger than %(mb)s MB.") % {"mb": MAX_BYTES // (1024 * 1024)},
            field="photo",
        )
    try:
        with Image.open(io.BytesIO(content)) as image:
            kind = image.format or ""
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise InvalidInput(_("The photo is not a JPEG, PNG or WebP image."), field="photo") from exc
    if kind not in TYPES:
        raise InvalidInput(_("The photo is not a JPEG, PNG or WebP image."), field="photo")
    if width * height > MAX_PIXELS:
        raise InvalidInput(_("The photo has too many pixels."), field="photo")
    return TYPES[kind]


def photo_without_metadata(upload: Any, content_type: str) -> ContentFile[bytes]:
    """The photo re-encoded from its pixels: EXIF (the phone's GPS position, its serial
    number), text chunks and colour profiles are dropped; the orientation is applied."""
    upload.seek(0)
    with Image.open(upload) as opened:
        image = ImageOps.exif_transpose(opened)
        kind = next(k for k, v in TYPES.items() if v == content_type)
        if kind == "JPEG" and image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        out = io.BytesIO()
        image.save(out, format=kind, **({"quality": 90} if kind != "PNG" else {}))
    upload.seek(0)
    return ContentFile(out.getvalue())
