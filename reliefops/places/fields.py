"""The declared field lists of the places domain (see :mod:`reliefops.core.exchange.fields`).

The API serializers, the importers and exporters (``exchange.py``) and the bulk services
all read these lists. Where the API and the files say the same thing differently, one
field says both: a place's ``latitude`` is the file's ``lat`` (``column``), its preferred
``names`` are the file's ``name_en`` … (``translated``); what only one side has is
flagged — the computed ``name`` (``file=False``), a file's full name list or place name
to resolve (``api=False``), values the services derive themselves (``stored=False``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from reliefops.core import exchange as ex
from reliefops.places.choices import (
    FacilityKind,
    FacilityStatus,
    HeatingFuel,
    NameType,
    PlaceKind,
    RoadCondition,
    RoadStatus,
    RoadSurface,
)

P_CODE = re.compile(r"^[A-Z]{2}[A-Z0-9-]{1,30}$")


def parse_p_code(text: str) -> str:
    value = text.strip()
    if not P_CODE.match(value):
        raise ValueError(_("Not a P-code (two country letters, then A-Z, 0-9, '-')."))
    import pycountry

    if pycountry.countries.get(alpha_2=value[:2]) is None:
        raise ValueError(_("P-code does not start with an ISO 3166-1 country code."))
    return value


def parse_latitude(text: str) -> float:
    value = ex.parse_float(text)
    if not -90.0 <= value <= 90.0:
        raise ValueError(_("Latitude must be between -90 and 90."))
    return value


def parse_longitude(text: str) -> float:
    value = ex.parse_float(text)
    if not -180.0 <= value <= 180.0:
        raise ValueError(_("Longitude must be between -180 and 180."))
    return value


def parse_fraction(text: str) -> float:
    value = ex.parse_float(text)
    if not 0.0 < value <= 1.0:
        raise ValueError(_("Must be a fraction above 0 and at most 1."))
    return value


def parse_non_negative_float(text: str) -> float:
    return float(ex.parse_non_negative_decimal(text))


def parse_positive_float(text: str) -> float:
    return float(ex.parse_positive_decimal(text))


@dataclass(frozen=True)
class NameInput:
    """One name of a place as the services take it (the file's ``names`` column, a form)."""

    name: str
    language: str
    name_type: str = NameType.OFFICIAL
    script: str = ""
    source: str = ""
    is_preferred: bool = False


def parse_names(text: str) -> list[NameInput]:
    data = ex.parse_json(text)
    if not isinstance(data, list):
        raise ValueError(_("Names must be a JSON list."))
    names = []
    for item in data:
        if not isinstance(item, dict) or not str(item.get("name", "")).strip():
            raise ValueError(_("Each name needs a 'name'."))
        name_type = str(item.get("type") or NameType.ALTERNATE)
        if name_type not in NameType.values:
            raise ValueError(_("Unknown name type %(type)s.") % {"type": name_type})
        names.append(
            NameInput(
                name=str(item["name"]).strip(),
                language=str(item.get("language") or ""),
                name_type=name_type,
                script=str(item.get("script") or ""),
                source=str(item.get("source") or ""),
                is_preferred=bool(item.get("preferred")),
            )
        )
    return names


def names_render(names: list[dict[str, Any]] | None) -> str:
    return json.dumps(names, ensure_ascii=False) if names else ""


def _coordinates(end: str = "", **flags: Any) -> list[ex.Field]:
    """A point: ``latitude``/``longitude`` (files: ``lat``/``lon``), or a road end's
    ``from_lat``/``from_lon`` …"""
    axes = (("latitude", "lat", parse_latitude), ("longitude", "lon", parse_longitude))
    if end:
        return [
            ex.Field(f"{end}_{short}", hxl=f"#geo+{short}+{end}", parse=parse, **flags)
            for _axis, short, parse in axes
        ]
    return [
        ex.Field(axis, column=short, hxl=f"#geo+{short}", parse=parse, **flags)
        for axis, short, parse in axes
    ]


def _computed_name() -> ex.Field:
    """The name in the reader's language (API only)."""
    return ex.Field("name", file=False, stored=False)


PLACE = ex.Fields(
    ex.Field("code", hxl="#loc+code", parse=parse_p_code, required=True, key=True),
    ex.Field("kind", hxl="#loc+type", parse=ex.parse_choice(PlaceKind), required=True),
    _computed_name(),
    ex.Field("names", hxl="#loc+name", translated="name", stored=False),
    ex.Field(
        "all_names",
        column="names",
        hxl="#loc+name+all",
        parse=parse_names,
        render=names_render,
        api=False,
        stored=False,
    ),
    *_coordinates(required=True),
    ex.Field("admin0", column="country", hxl="#country+code", stored=False),
    ex.Field("admin1", hxl="#adm1+code", stored=False),
    ex.Field("admin2", hxl="#adm2+code", stored=False),
    ex.Field("population", hxl="#population+total", parse=ex.parse_int, api=False, stored=False),
    ex.Field(
        "population_as_of", hxl="#date+population", parse=ex.parse_date, api=False, stored=False
    ),
    ex.Field(
        "population_source", hxl="#meta+source+population", default="", api=False, stored=False
    ),
    ex.Field("geonames_id", hxl="#loc+code+geonames", parse=ex.parse_int),
    ex.Field("source", hxl="#meta+source", default=""),
)
"""Gazetteer places by P-code. The preferred ``names`` per language are derived by the
service from the full name list (the file's ``names`` JSON column, else the ``name_*``
columns as official names); admin areas are codes (the service finds them from the point
when none is given); the latest population estimate travels only in files."""

FACILITY = ex.Fields(
    ex.Field("code", hxl="#loc+code+facility", required=True, key=True),
    ex.Field("kind", hxl="#loc+type+facility", parse=ex.parse_choice(FacilityKind), required=True),
    _computed_name(),
    ex.Field("names", hxl="#loc+name+facility", translated="name"),
    ex.Field("place", hxl="#loc+code"),
    ex.Field(
        "place_name",
        hxl="#loc+name",
        help="Free text, resolved by the matcher.",
        api=False,
        stored=False,
    ),
    *_coordinates(),
    ex.Field("operator", hxl="#org+acronym"),
    ex.Field(
        "status",
        hxl="#status",
        parse=ex.parse_choice(FacilityStatus),
        default=FacilityStatus.OPERATING,
    ),
    ex.Field("status_reason", hxl="#status+reason", default=""),
    ex.Field("status_since", file=False, stored=False),
    ex.Field("capacity_pupils", hxl="#capacity+pupils", parse=ex.parse_int),
    ex.Field("capacity_beds", hxl="#capacity+beds", parse=ex.parse_int),
    ex.Field("capacity_people", hxl="#capacity+people", parse=ex.parse_int),
    ex.Field("heated_area_m2", hxl="#indicator+area+heated", parse=parse_non_negative_float),
    ex.Field("heating_fuel", hxl="#item+fuel", parse=ex.parse_choice(HeatingFuel), default=""),
    ex.Field("boiler_kw", hxl="#indicator+boiler+kw", parse=parse_non_negative_float),
    ex.Field("boiler_efficiency", hxl="#indicator+boiler+efficiency", parse=parse_fraction),
    ex.Field("tank_capacity_litres", hxl="#capacity+tank+litres", parse=parse_non_negative_float),
    ex.Field("operating_hours", hxl="#meta+hours", default=""),
    ex.Field("notice_hours", hxl="#meta+notice+hours", parse=ex.parse_int),
    ex.Field("notice_to", hxl="#contact+notice", default=""),
    ex.Field("source", hxl="#meta+source", default=""),
)
"""Facilities by code at a place (a P-code, or in files a ``place_name`` to resolve);
coordinates default to the place's; ``operator`` is an organisation acronym; the status
time is the service's."""


def _road_end(end: str) -> list[ex.Field]:
    """A segment's end in files: node code, the place it serves, its point (the service
    makes a new node there; an existing node keeps its own)."""
    place_hxl = "#loc+code+from+place" if end == "from" else "#loc+code+place+to"
    return [
        ex.Field(f"{end}_node", hxl=f"#loc+code+{end}", required=True, stored=False),
        ex.Field(f"{end}_place", hxl=place_hxl, api=False, stored=False),
        *_coordinates(end, required=True, api=False, stored=False),
    ]


ROAD = ex.Fields(
    ex.Field("code", hxl="#loc+code+road", required=True, key=True),
    ex.Field("name", hxl="#loc+name+road"),
    ex.Field("ref", hxl="#loc+ref+road"),
    *_road_end("from"),
    *_road_end("to"),
    ex.Field("length_km", hxl="#indicator+length+km", parse=parse_positive_float, required=True),
    ex.Field("speed_light_kmh", hxl="#indicator+speed+light", parse=parse_positive_float),
    ex.Field("speed_truck_kmh", hxl="#indicator+speed+truck", parse=parse_positive_float),
    ex.Field("speed_heavy_kmh", hxl="#indicator+speed+heavy", parse=parse_positive_float),
    ex.Field("surface", hxl="#indicator+surface", parse=ex.parse_choice(RoadSurface)),
    ex.Field("condition", hxl="#indicator+condition", parse=ex.parse_choice(RoadCondition)),
    ex.Field("max_weight_t", hxl="#indicator+weight+max", parse=parse_positive_float),
    ex.Field("oneway", hxl="#indicator+oneway", parse=ex.parse_bool, default=False),
    ex.Field("status", hxl="#status", parse=ex.parse_choice(RoadStatus), default=RoadStatus.OPEN),
    ex.Field("status_reason", hxl="#status+reason"),
    ex.Field("status_since", file=False, stored=False),
    ex.Field("source", hxl="#meta+source"),
    ex.Field("geometry", hxl="#geo+geometry", api=False, stored=False),
)
"""Road segments by code between two nodes. A blank cell leaves a stored value as it is
(no defaults but ``oneway`` and ``status``); the exported ``geometry`` is informative
(the line between the nodes unless the segment has its own) and is not imported."""
