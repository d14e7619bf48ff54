"""``reliefops places SUBCOMMAND``: match names, seed the gazetteer, import OSM roads, travel.

* ``match NAME… [--json] [--area CODE] [--near LAT,LON]`` — resolves spellings; with
  ``--json`` one JSON object per line: ``query, code, name, lat, lon, score`` (+ ``status``
  and ``candidates``); ``code`` is null when nothing is close enough or it is ambiguous.
* ``seed`` — loads/refreshes the GeoNames + scenario gazetteer (idempotent).
* ``osm-import FILE.osm.pbf [--replace]`` — road network from an OpenStreetMap extract.
* ``travel NAME NAME… [--vehicle light|truck|heavy] [--json]`` — travel-time matrix.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reliefops.core.errors import ApplicationError


class Command(BaseCommand):
    help = "Gazetteer tools: match names, seed, import OSM roads, travel times."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        match = sub.add_parser("match", help="Resolve place names in any language or script.")
        match.add_argument("names", nargs="+")
        match.add_argument("--json", action="store_true", help="One JSON object per name.")
        match.add_argument("--area", help="Admin area code hint (e.g. AZ-XA).")
        match.add_argument("--near", help="Proximity hint: LAT,LON.")
        match.add_argument("--lang", help="Language of the returned names (default: active).")
        sub.add_parser("seed", help="Load the GeoNames + scenario gazetteer (idempotent).")
        osm = sub.add_parser("osm-import", help="Import roads from an .osm.pbf extract.")
        osm.add_argument("file")
        osm.add_argument(
            "--replace", action="store_true", help="Delete previously OSM-imported segments first."
        )
        travel = sub.add_parser("travel", help="Travel-time matrix between places.")
        travel.add_argument("names", nargs="+")
        travel.add_argument("--vehicle", default="truck", choices=["light", "truck", "heavy"])
        travel.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['subcommand'].replace('-', '_')}")(**options)
        except ApplicationError as exc:
            raise CommandError(f"{exc.code}: {exc.message}") from exc

    def _match(
        self,
        *,
        names: list[str],
        json: bool,
        area: str | None,
        near: str | None,
        lang: str | None,
        **_: Any,
    ) -> None:
        from reliefops.places.matching import match_as_dict, place_match
        from reliefops.places.models import AdminArea

        area_obj = None
        if area:
            area_obj = AdminArea.objects.filter(code=area).first()
            if area_obj is None:
                raise CommandError(f"Unknown admin area: {area}")
        near_point = _parse_point(near) if near else None
        results = [
            match_as_dict(place_match(name, area=area_obj, near=near_point), lang) for name in names
        ]
        if json:
            for row in results:
                self.stdout.write(_dumps(row))
            return
        width = max(len(r["query"]) for r in results)
        self.stdout.write(f"{'query':<{width}}  {'code':<12} {'score':>5}  name")
        for row in results:
            if row["code"]:
                shown = f"{row['name']} ({row['lat']:.4f}, {row['lon']:.4f})"
            elif row["status"] == "ambiguous":
                shown = "ambiguous: " + ", ".join(
                    f"{c['code']} {c['name']}" for c in row["candidates"]
                )
            else:
                shown = "no match"
            self.stdout.write(
                f"{row['query']:<{width}}  {row['code'] or '-':<12} {row['score']:>5.1f}  {shown}"
            )

    def _seed(self, **_: Any) -> None:
        from reliefops.places.gazetteer import gazetteer_seed

        report = gazetteer_seed(actor=None)
        self.stdout.write(
            f"places created {report.places_created}, updated {report.places_updated}, "
            f"names {report.names_written}, without admin area {report.unassigned}"
        )

    def _osm_import(self, *, file: str, replace: bool, **_: Any) -> None:
        from reliefops.places.osm import osm_roads_import

        report = osm_roads_import(actor=None, path=file, replace=replace)
        self.stdout.write(
            f"ways read {report.ways}, nodes {report.nodes}, segments {report.segments}, "
            f"skipped {report.skipped}"
        )

    def _travel(self, *, names: list[str], vehicle: str, json: bool, **_: Any) -> None:
        from reliefops.places.matching import place_match
        from reliefops.places.models import Place
        from reliefops.places.network import travel_matrix

        places = []
        for name in names:
            result = place_match(name)
            if result.place is None:
                raise CommandError(f"{name}: {result.status}")
            places.append(Place.objects.get(pk=result.place.id))
        matrix = travel_matrix(places, vehicle_class=vehicle)
        if json:
            self.stdout.write(
                _dumps(
                    {
                        "places": [p.code for p in places],
                        "vehicle_class": vehicle,
                        "minutes": [[round(v, 1) for v in row] for row in matrix.minutes.tolist()],
                        "km": [[round(v, 1) for v in row] for row in matrix.km.tolist()],
                        "estimated": matrix.estimated.tolist(),
                    }
                )
            )
            return
        labels = [p.name[:14] for p in places]
        self.stdout.write("minutes (km)    " + "".join(f"{lab:>22}" for lab in labels))
        for i, label in enumerate(labels):
            cells = []
            for j in range(len(places)):
                mark = "~" if matrix.estimated[i, j] else " "
                cells.append(f"{matrix.minutes[i, j]:>9.0f}{mark}({matrix.km[i, j]:>7.1f} km)")
            self.stdout.write(f"{label:<16}" + "".join(f"{c:>22}" for c in cells))
        if matrix.estimated.any():
            self.stdout.write("~ straight-line estimate (no open road connects the pair)")


def _parse_point(text: str) -> tuple[float, float]:
    try:
        lat, lon = (float(v) for v in text.split(","))
    except ValueError as exc:
        raise CommandError("--near takes LAT,LON") from exc
    return lat, lon


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)
