"""Hostile files, generated on the fly (nothing big is committed), and a streamed upload.

Used by ``tests/intake/test_hostile_files.py`` and ``bench/imports/hostile.py``.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path
from typing import Any

ITEM_HEADER = "code,category,unit,name_en,name_ru\n"
BOUNDARY = "reliefopshostileboundary"


def csv_of_size(path: Path, size: int) -> Path:
    """A valid items CSV of about ``size`` bytes (rows of distinct codes)."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(ITEM_HEADER)
        written, n = len(ITEM_HEADER), 0
        while written < size:
            block = "".join(
                f"C{i:09d},food,kg,Wheat flour sack number {i},Мука\n" for i in range(n, n + 100)
            )
            handle.write(block)
            written += len(block.encode("utf-8"))
            n += 100
    return path


def xlsx_small(path: Path, rows: list[list[Any]]) -> Path:
    """A genuine workbook with ``rows`` on its first sheet."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def xlsx_bomb(path: Path, inflated: int = 300 * 2**20, padding: int = 700 * 1024) -> Path:
    """A ~1 MB XLSX whose ``xl/sharedStrings.xml`` declares and inflates to ``inflated`` bytes.

    Built from a genuine workbook; the shared strings are a run of one repeated string
    (deflate compresses it about 1000 : 1), written in chunks so building it stays small.
    ``padding`` bytes of random data (stored) bring the file to about 1 MB.
    """
    source = xlsx_small(path.with_suffix(".source.xlsx"), [["code", "category", "unit"]])
    head = b'<?xml version="1.0" encoding="UTF-8"?>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>'
    tail = b"</t></si></sst>"
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(path, "w") as bomb:
        for info in original.infolist():
            if info.filename == "xl/sharedStrings.xml":
                continue
            bomb.writestr(info, original.read(info.filename), compress_type=zipfile.ZIP_DEFLATED)
        member = zipfile.ZipInfo("xl/sharedStrings.xml")
        member.compress_type = zipfile.ZIP_DEFLATED
        with bomb.open(member, "w", force_zip64=True) as stream:
            stream.write(head)
            chunk = b"A" * (1 << 20)
            left = inflated - len(head) - len(tail)
            while left > 0:
                stream.write(chunk[: min(left, len(chunk))])
                left -= len(chunk)
            stream.write(tail)
        if padding:
            bomb.writestr(
                zipfile.ZipInfo("xl/media/padding.bin"),
                os.urandom(padding),
                compress_type=zipfile.ZIP_STORED,
            )
    source.unlink()
    return path


def multipart_write(
    path: Path, fields: dict[str, str], file_field: str, filename: str, source: Path
) -> int:
    """Write a multipart/form-data body (fields first, then the file) to ``path``."""
    with path.open("wb") as body:
        for name, value in fields.items():
            body.write(
                f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        body.write(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{file_field}"; '
            f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
        )
        with source.open("rb") as data:
            while chunk := data.read(1 << 20):
                body.write(chunk)
        body.write(f"\r\n--{BOUNDARY}--\r\n".encode())
    return path.stat().st_size


def post_streamed(client: Any, url: str, body: Path, **environ: Any) -> Any:
    """POST a multipart body from disk through a test client without loading it in memory."""
    with body.open("rb") as stream:
        return client.request(
            REQUEST_METHOD="POST",
            PATH_INFO=url,
            CONTENT_TYPE=f"multipart/form-data; boundary={BOUNDARY}",
            CONTENT_LENGTH=str(body.stat().st_size),
            **{"wsgi.input": stream, **environ},
        )


def post_file(
    client: Any, url: str, source: Path, fields: dict[str, str], tmp: Path, **environ: Any
) -> Any:
    """POST ``source`` as the ``file`` field with ``fields``, streamed from disk."""
    body = tmp / f"{source.name}.multipart"
    multipart_write(body, fields, "file", source.name, source)
    try:
        return post_streamed(client, url, body, **environ)
    finally:
        body.unlink()


def zip_without_workbook(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    return path


def xlsx_broken(path: Path) -> Path:
    """A zip that names the workbook parts, holding garbage instead of XML."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types")
        archive.writestr("xl/workbook.xml", "garbage")
    return path


def bytes_file(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
