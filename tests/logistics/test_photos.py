"""The photo of a signed delivery note: only real images of limited size, stored without
the metadata a phone writes into them (its GPS position)."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from reliefops.core.errors import InvalidInput
from reliefops.logistics.services.photos import MAX_BYTES, photo_check, photo_without_metadata


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (40, 30), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (39.0, 49.0, 0.0)}  # GPSInfo: latitude
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_a_phone_photo_is_kept_without_its_gps_position() -> None:
    raw = _jpeg_with_gps()
    assert Image.open(io.BytesIO(raw)).getexif()  # the phone's photo carries EXIF
    upload = SimpleUploadedFile("IMG_0001.jpg", raw, content_type="image/jpeg")
    assert photo_check(upload) == "image/jpeg"
    kept = photo_without_metadata(upload, "image/jpeg").read()
    stored = Image.open(io.BytesIO(kept))
    assert stored.format == "JPEG" and stored.size == (40, 30)
    assert not stored.getexif()


@pytest.mark.parametrize(
    ("content", "name"),
    [(b"%PDF-1.4 not an image", "note.jpg"), (b"GIF89a" + b"\0" * 20, "note.png")],
)
def test_what_is_not_a_jpeg_png_or_webp_image_is_refused(content: bytes, name: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        photo_check(SimpleUploadedFile(name, content, content_type="image/jpeg"))
    assert refused.value.details["field"] == "photo"


def test_a_photo_over_the_size_limit_is_refused() -> None:
    big = SimpleUploadedFile("big.jpg", b"\xff" * (MAX_BYTES + 1), content_type="image/jpeg")
    with pytest.raises(InvalidInput):
        photo_check(big)
