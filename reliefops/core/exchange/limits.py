"""Limits on files coming in, read from the settings at each use (so tests can change them).

``IMPORT_MAX_UPLOAD_BYTES``             a file (upload or ``reliefops import``) at most this
                                        big (default 25 MB); checked before it is parsed.
``IMPORT_XLSX_MAX_UNCOMPRESSED_BYTES``  the members of an XLSX archive declare at most this
                                        much in total once unpacked (default 100 MB) …
``IMPORT_XLSX_MAX_RATIO``               … and no member over 1 MB is compressed more than
                                        this (default 100 : 1).
``IMPORT_MAX_CELL_CHARS``               a cell at most this long (default 10,000 characters).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.template.defaultfilters import filesizeformat

MB = 2**20


@dataclass(frozen=True)
class Limits:
    upload_bytes: int
    xlsx_uncompressed_bytes: int
    xlsx_ratio: float
    cell_chars: int


def limits() -> Limits:
    return Limits(
        upload_bytes=int(getattr(settings, "IMPORT_MAX_UPLOAD_BYTES", 25 * MB)),
        xlsx_uncompressed_bytes=int(
            getattr(settings, "IMPORT_XLSX_MAX_UNCOMPRESSED_BYTES", 100 * MB)
        ),
        xlsx_ratio=float(getattr(settings, "IMPORT_XLSX_MAX_RATIO", 100)),
        cell_chars=int(getattr(settings, "IMPORT_MAX_CELL_CHARS", 10_000)),
    )


def size_text(size: int) -> str:
    """``26214400`` → ``25.0 MB`` (translated unit)."""
    return str(filesizeformat(size)).replace("\xa0", " ")
