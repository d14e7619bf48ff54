"""GeoJSON FeatureCollections as tables: streamed feature by feature, in and out."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Any

from django.utils.translation import gettext as _

from reliefops.core.errors import InvalidInput
from reliefops.core.exchange.parsing import Column, cell_text

GEOMETRY_COLUMN = "geometry"

Row = dict[str, str]


def _not_geojson() -> InvalidInput:
    return InvalidInput(_("Not a GeoJSON FeatureCollection."), code="invalid_geojson")


def geojson_features(stream: IO[str], buffer_size: int = 1 << 16) -> Iterator[dict[str, Any]]:
    """Yield the features of a FeatureCollection one at a time (buffered raw_decode)."""
    decoder = json.JSONDecoder()
    buffer = ""
    position = 0
    eof = False

    def fill() -> bool:
        nonlocal buffer, position, eof
        if eof:
            return False
        chunk = stream.read(buffer_size)
        if not chunk:
            eof = True
            return False
        buffer = buffer[position:] + chunk
        position = 0
        return True

    def skip(chars: str) -> None:
        nonlocal position
        while True:
            while position < len(buffer) and buffer[position] in chars:
                position += 1
            if position < len(buffer) or not fill():
                return

    def expect(char: str) -> None:
        nonlocal position
        skip(" \t\r\n\ufeff")
        if position >= len(buffer) or buffer[position] != char:
            raise _not_geojson()
        position += 1

    def value() -> Any:
        nonlocal position
        skip(" \t\r\n")
        while True:
            try:
                obj, end = decoder.raw_decode(buffer, position)
            except json.JSONDecodeError:
                if not fill():
                    raise _not_geojson() from None
                continue
            # A number at the end of the buffer may be cut; make sure more is not coming.
            if end == len(buffer) and not eof and fill():
                continue
            position = end
            return obj

    fill()
    expect("{")
    while True:
        skip(" \t\r\n,")
        if position < len(buffer) and buffer[position] == "}":
            return
        key = value()
        expect(":")
        if key == "features":
            expect("[")
            while True:
                skip(" \t\r\n,")
                if position < len(buffer) and buffer[position] == "]":
                    position += 1
                    break
                if position >= len(buffer):
                    raise _not_geojson()
                feature = value()
                if isinstance(feature, dict):
                    yield feature
        else:
            value()


def geojson_feature_row(feature: dict[str, Any]) -> Row:
    """A feature as a row: its properties, ``lat``/``lon`` of a point, ``geometry`` text."""
    row = {
        str(k): cell_text(v) if not isinstance(v, (dict, list)) else json.dumps(v)
        for k, v in (feature.get("properties") or {}).items()
    }
    geometry = feature.get("geometry")
    if geometry:
        row[GEOMETRY_COLUMN] = json.dumps(geometry, separators=(",", ":"))
        if geometry.get("type") == "Point":
            coordinates = geometry.get("coordinates") or []
            if len(coordinates) >= 2:
                row.setdefault("lon", cell_text(float(coordinates[0])))
                row.setdefault("lat", cell_text(float(coordinates[1])))
    return row


def geojson_write(
    stream: IO[bytes], columns: Sequence[Column], rows: Iterable[dict[str, Any]]
) -> int:
    """Write rows as a FeatureCollection (a point from ``lat``/``lon`` when no geometry)."""
    write = stream.write
    count = 0
    write(b'{"type":"FeatureCollection","features":[\n')
    for row in rows:
        geometry = row.get(GEOMETRY_COLUMN)
        if isinstance(geometry, str) and geometry:
            geometry = json.loads(geometry)
        if not geometry and row.get("lat") not in (None, "") and row.get("lon") not in (None, ""):
            geometry = {"type": "Point", "coordinates": [float(row["lon"]), float(row["lat"])]}
        properties = {
            c.name: c.render(row.get(c.name))
            for c in columns
            if c.name not in {GEOMETRY_COLUMN, "lat", "lon"} or not geometry
        }
        feature = {"type": "Feature", "geometry": geometry or None, "properties": properties}
        if count:
            write(b",\n")
        write(json.dumps(feature, ensure_ascii=False).encode("utf-8"))
        count += 1
    write(b"\n]}\n")
    return count
