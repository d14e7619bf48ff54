"""The attachment rules of a form link: allowed types, bytes per file, files per submission.

KoboToolbox describes each file of a submission in ``_attachments`` (``mimetype``,
sometimes its size); ODK Central says how many it expects (``attachmentsExpected``); an
OpenRosa upload carries the files themselves, whose type is read from their bytes — an
image by Pillow, as the delivery photos are (:mod:`reliefops.logistics.services.photos`),
other kinds by their signature — never from the name or the declared content type.
Files are checked, not kept: the record kinds have no file column, the form server keeps
the originals (the instance row lists names, types, sizes and download links).
"""

from __future__ import annotations

import io
import mimetypes
from collections.abc import Iterable, Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, UnidentifiedImageError

from reliefops.core.errors import InvalidInput
from reliefops.intake.kobo.payloads import Attachment

IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif"}
#: (offset, signature, type) of the other kinds a form may collect.
SIGNATURES: tuple[tuple[int, bytes, str], ...] = (
    (0, b"%PDF-", "application/pdf"),
    (0, b"ID3", "audio/mpeg"),
    (0, b"\xff\xfb", "audio/mpeg"),
    (0, b"OggS", "audio/ogg"),
    (4, b"ftyp", "video/mp4"),
    (0, b"RIFF", "audio/wav"),  # checked with WAVE below
)
SNIFF_BYTES = 64
MAX_PIXELS = 40_000_000


class AttachmentRefused(InvalidInput):
    code = "attachment_refused"
    default_message = gettext_lazy("An attachment is not allowed on this form.")


def sniff(content: bytes) -> str:
    """The content type read from a file's bytes ('' when it is none we know)."""
    try:
        with Image.open(io.BytesIO(content)) as image:
            kind = image.format or ""
            width, height = image.size
            image.verify()
        if kind in IMAGE_TYPES and width * height <= MAX_PIXELS:
            return IMAGE_TYPES[kind]
        return ""
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        pass
    head = content[:SNIFF_BYTES]
    for offset, signature, kind in SIGNATURES:
        if head[offset : offset + len(signature)] == signature:
            if kind == "audio/wav" and head[8:12] != b"WAVE":
                continue
            return kind
    return ""


def uploaded(files: Iterable[Any], max_bytes: int) -> list[Attachment]:
    """Attachments of uploaded files (Django ``UploadedFile``), their type sniffed.

    Reads at most ``max_bytes + 1`` bytes of each (a larger file is refused by
    :func:`attachments_check` without reading the rest).
    """
    found = []
    for upload in files:
        size = getattr(upload, "size", None)
        upload.seek(0)
        content = upload.read(max_bytes + 1)
        upload.seek(0)
        found.append(
            Attachment(
                name=str(getattr(upload, "name", "") or "")[:200],
                mimetype=sniff(content) if len(content) <= max_bytes else "",
                size=size if isinstance(size, int) else len(content),
                sniffed=True,
            )
        )
    return found


def _type(attachment: Attachment) -> str:
    if attachment.mimetype or attachment.sniffed:
        return attachment.mimetype
    guessed, _encoding = mimetypes.guess_type(attachment.name)
    return guessed or ""


def attachments_check(
    attachments: Sequence[Attachment],
    *,
    expected: int | None,
    types: Sequence[str],
    max_bytes: int,
    max_files: int,
) -> list[Attachment]:
    """The attachments with their types, or :class:`AttachmentRefused` naming the file and
    the rule it breaks (too many, a type not allowed, too large)."""
    count = max(len(attachments), expected or 0)
    if count > max_files:
        raise AttachmentRefused(
            _("The submission has %(count)s attachments; this form takes at most %(max)s.")
            % {"count": count, "max": max_files},
            code="attachments_too_many",
            field="_attachments",
            count=count,
            max_files=max_files,
        )
    checked = []
    allowed = {t.lower() for t in types}
    for attachment in attachments:
        if attachment.size is not None and attachment.size > max_bytes:
            raise AttachmentRefused(
                _("The attachment %(name)s is %(size)s bytes; this form takes at most %(max)s.")
                % {"name": attachment.name, "size": attachment.size, "max": max_bytes},
                code="attachment_too_large",
                field="_attachments",
                name=attachment.name,
                size=attachment.size,
                max_bytes=max_bytes,
            )
        kind = _type(attachment)
        if kind not in allowed:
            message = (
                _("The attachment %(name)s is of type %(type)s; this form takes %(allowed)s.")
                if kind
                else _(
                    "The type of the attachment %(name)s is not known; this form takes %(allowed)s."
                )
            )
            raise AttachmentRefused(
                message
                % {
                    "name": attachment.name,
                    "type": kind,
                    "allowed": ", ".join(sorted(allowed)) or "—",
                },
                code="attachment_type",
                field="_attachments",
                name=attachment.name,
                type=kind,
                allowed=sorted(allowed),
            )
        checked.append(
            Attachment(
                name=attachment.name,
                mimetype=kind,
                size=attachment.size,
                url=attachment.url,
                question=attachment.question,
                sniffed=attachment.sniffed,
            )
        )
    return checked
