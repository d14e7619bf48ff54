"""Checks on a file before and while it is parsed: size, XLSX archive, text encoding.

* :func:`file_size_check` refuses a file over the upload limit before anything reads it.
* :func:`xlsx_archive_check` opens an XLSX only as a zip central directory: it must be a
  zip holding a workbook, its members must declare at most the unpacked total and no member
  may be compressed more than the ratio limit. ``zipfile`` never inflates a member past its
  declared size (a lying member fails its CRC check), so the declared sizes bound what
  openpyxl can unpack.
* Text (CSV, HXL, GeoJSON) is UTF-8 with or without a byte-order mark, or UTF-16 with its
  byte-order mark (:func:`text_encoding`). Anything else fails to decode; the error path
  (:func:`decode_failure`) then finds the line and row of the first bad bytes.
* csv's own field limit (128 KB) stops the csv reader; :func:`csv_failure` finds the row and
  the column of the cell that is too long.
"""

from __future__ import annotations

import codecs
import csv
import struct
import zipfile
from collections.abc import Iterable
from itertools import islice
from pathlib import Path

from django.utils.translation import gettext as _

from reliefops.core.exchange.errors import FileTooLarge, NotXlsx, RowUnreadable, XlsxTooLarge
from reliefops.core.exchange.limits import MB, limits, size_text

XLSX_MAX_MEMBERS = 10_000
RATIO_FLOOR_BYTES = 1 * MB  # members smaller than this unpack to little, whatever the ratio
_EOCD = struct.Struct("<4s4H2LH")  # end of central directory record
_EOCD_SIGNATURE = b"PK\x05\x06"


def file_size_check(path: Path) -> None:
    size = path.stat().st_size
    limit = limits().upload_bytes
    if size > limit:
        raise FileTooLarge(
            _("The file is %(size)s; the upload limit is %(limit)s.")
            % {"size": size_text(size), "limit": size_text(limit)},
            size=size,
            limit=limit,
        )


# --------------------------------------------------------------------------- XLSX


def _zip_member_count(path: Path) -> int | None:
    """Members declared in the end-of-central-directory record (None: not a zip)."""
    with path.open("rb") as handle:
        handle.seek(0, 2)
        size = handle.tell()
        tail_size = min(size, _EOCD.size + 0xFFFF)
        handle.seek(size - tail_size)
        tail = handle.read(tail_size)
    at = tail.rfind(_EOCD_SIGNATURE)
    if at < 0 or len(tail) - at < _EOCD.size:
        return None
    fields = _EOCD.unpack_from(tail, at)
    return int(fields[4])  # total number of entries in the central directory


def xlsx_archive_check(path: Path) -> None:
    """Refuse an XLSX that is no zip workbook, unpacks too big or is compressed too much."""
    limit = limits()
    count = _zip_member_count(path)
    if count is None:
        raise NotXlsx()
    if count >= 0xFFFF or count > XLSX_MAX_MEMBERS:
        raise NotXlsx(
            _("This is not an XLSX file: the archive has too many members (%(count)s).")
            % {"count": count},
            members=count,
        )
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise NotXlsx() from None
    names = {m.filename for m in members}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise NotXlsx(_("This is not an XLSX file: the zip archive holds no workbook."))
    total = sum(m.file_size for m in members)
    if total > limit.xlsx_uncompressed_bytes:
        raise XlsxTooLarge(
            _("The XLSX file unpacks to %(size)s; the limit is %(limit)s.")
            % {"size": size_text(total), "limit": size_text(limit.xlsx_uncompressed_bytes)},
            uncompressed=total,
            limit=limit.xlsx_uncompressed_bytes,
        )
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_FLOOR_BYTES and ratio > limit.xlsx_ratio:
            raise XlsxTooLarge(
                _(
                    "The XLSX member %(member)s is compressed %(ratio)s : 1; the limit is "
                    "%(limit)s : 1."
                )
                % {
                    "member": member.filename,
                    "ratio": f"{ratio:,.0f}",
                    "limit": f"{limit.xlsx_ratio:,.0f}",
                },
                code="xlsx_compression_ratio",
                member=member.filename,
                ratio=round(ratio, 1),
                limit=limit.xlsx_ratio,
            )


# --------------------------------------------------------------------------- text


def _bom(path: Path) -> tuple[str, int]:
    """The codec without byte-order-mark handling and the length of the mark."""
    with path.open("rb") as handle:
        head = handle.read(4)
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32", 4
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8", 3
    if head.startswith(codecs.BOM_UTF16_LE):
        return "utf-16-le", 2
    if head.startswith(codecs.BOM_UTF16_BE):
        return "utf-16-be", 2
    return "utf-8", 0


def text_encoding(path: Path) -> str:
    """The encoding to open ``path`` with: ``utf-8-sig`` or, by its mark, ``utf-16``."""
    codec, _skip = _bom(path)
    if codec == "utf-32":
        raise RowUnreadable(
            1, _("UTF-32 text is not supported; save the file as UTF-8."), value="UTF-32"
        )
    return "utf-16" if codec.startswith("utf-16") else "utf-8-sig"


def _encoding_label(codec: str) -> str:
    return "UTF-16" if codec.startswith("utf-16") else "UTF-8"


def decode_failure(path: Path, *, rows: bool = True) -> RowUnreadable:
    """The first undecodable bytes of ``path``: their line and (CSV) row, as an error."""
    codec, skip = _bom(path)
    decoder = codecs.getincrementaldecoder(codec)("strict")
    newlines = 0
    bad = b""
    with path.open("rb") as handle:
        handle.seek(skip)
        while True:
            chunk = handle.read(1 << 16)
            buffered = decoder.getstate()[0]
            try:
                newlines += decoder.decode(chunk, final=not chunk).count("\n")
            except UnicodeDecodeError as exc:
                data = buffered + chunk
                newlines += data[: exc.start].decode(codec, "replace").count("\n")
                bad = data[exc.start : exc.end]
                break
            if not chunk:
                break
    line = newlines + 1
    row = _row_of_line(path, line) if rows else line
    return RowUnreadable(
        row,
        _(
            "Line %(line)s is not %(encoding)s text (bytes %(bytes)s). Save the file as UTF-8 "
            "(or UTF-16 with a byte-order mark)."
        )
        % {"line": line, "encoding": _encoding_label(codec), "bytes": bad.hex(" ").upper()},
        value=bad.hex(" ").upper(),
    )


def _row_of_line(path: Path, line: int) -> int:
    """The CSV row (record) that holds physical ``line`` (cells may span lines)."""
    row = 0
    with path.open(encoding=text_encoding(path), errors="replace", newline="") as stream:
        reader = csv.reader(stream)
        try:
            for _cells in reader:
                row += 1
                if reader.line_num >= line:
                    return row
        except csv.Error:
            pass
    return row + 1


def _long_field_index(lines: Iterable[str], limit: int) -> int | None:
    """Position of the first field longer than ``limit`` in one CSV record's lines."""
    index = length = 0
    quoted = closed = False
    for text in lines:
        for char in text:
            if quoted:
                if char == '"':
                    quoted, closed = False, True
                    continue
                length += 1
            elif char == '"':
                quoted = True
                if closed:  # "" inside a quoted field is one quote
                    length += 1
            elif char == ",":
                index, length = index + 1, 0
            elif char in "\r\n":
                return None
            else:
                length += 1
            if char != '"':
                closed = False
            if length > limit:
                return index
    return None


def csv_failure(path: Path, row: int, first_line: int, error: csv.Error) -> RowUnreadable:
    """Error for a csv failure in ``row``, whose first physical line is ``first_line``."""
    limit = csv.field_size_limit()
    if "field larger than field limit" not in str(error):
        return RowUnreadable(row, _("Cannot read this row: %(error)s.") % {"error": error})
    with path.open(encoding=text_encoding(path), errors="replace", newline="") as stream:
        index = _long_field_index(islice(stream, first_line - 1, None), limit)
    return RowUnreadable(
        row,
        _("The cell is longer than %(limit)s characters.") % {"limit": f"{limit:,}"},
        column_index=index,
    )
