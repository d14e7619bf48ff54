"""What a meeting attachment may be: a PDF or an image, of limited size, read from its bytes.

Images go through the delivery photos' check and re-encoding
(:mod:`reliefops.logistics.services.photos`: the type from Pillow, never the name or the
browser's content type; EXIF such as a phone's GPS position dropped). A PDF is known by
its signature and an end-of-file marker. The stored name is random (``upload_to`` with a
UUID); the person's file name is kept, cleaned, only as a label.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _

from reliefops.core.errors import InvalidInput
from reliefops.logistics.services.photos import photo_check, photo_without_metadata

MAX_BYTES = 10 * 1024 * 1024
PDF = "application/pdf"
EXTENSIONS = {PDF: "pdf", "image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
ALLOWED_LABEL = _("PDF, JPEG, PNG or WebP")


def _too_large() -> InvalidInput:
    return InvalidInput(
        _("The file is larger than %(mb)s MB.") % {"mb": MAX_BYTES // (1024 * 1024)},
        field="file",
    )


def attachment_checked(upload: Any) -> tuple[ContentFile[bytes], str, str]:
    """(content to store, content type, stored file name) or :class:`InvalidInput`."""
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:
        raise _too_large()
    upload.seek(0)
    head = upload.read(MAX_BYTES + 1)
    upload.seek(0)
    if len(head) > MAX_BYTES:
        raise _too_large()
    if not head:
        raise InvalidInput(_("The file is empty."), field="file")
    if head.startswith(b"%PDF-"):
        if b"%%EOF" not in head[-2048:]:
            raise InvalidInput(_("The PDF file is incomplete."), field="file")
        content: ContentFile[bytes] = ContentFile(head)
        content_type = PDF
    else:
        try:
            content_type = photo_check(upload)
        except InvalidInput as exc:
            raise InvalidInput(
                _("The file is not a %(types)s file.") % {"types": ALLOWED_LABEL}, field="file"
            ) from exc
        content = photo_without_metadata(upload, content_type)
    return content, content_type, f"{uuid.uuid4().hex}.{EXTENSIONS[content_type]}"


def attachment_label(name: str) -> str:
    """The person's file name as a label: no path, no control characters, 120 at most."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = re.sub(r"[\x00-\x1f\x7f]", "", base).strip()
    return base[:120] or "file"
