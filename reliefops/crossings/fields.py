"""The declared field lists of the crossings domain (see :mod:`reliefops.core.exchange.fields`).

Related records travel by their codes: a crossing point by facility code, an organisation by
acronym, a place by P-code, an area by code.

``CROSSING_COUNT`` — one flow count (the ``crossing-counts`` kind: import, export, field
submissions). Key: crossing point, date, hour, direction (a re-import or a re-sent
submission updates the record it names). Persons by sex × age band in 15 cells
(``female_0_4`` … ``not_recorded_70_plus``, HXL ``#affected+f+infants`` …) and the total
``persons`` (``#affected+num``): give the cells, the total or both (they must agree).
``reason`` says why a row corrects an existing count (it is written to the record's
history, not stored on the record); ``area`` is the crossing point's and is export-only.

``CROSSING_POINT`` — a crossing point with its catchment and the flows of the last days
(the ``crossing-points`` export; GeoJSON with the point).

``POPULATION`` — a place's population baseline (the ``populations`` kind: import of
baselines, key place + as-of date + source) and, on export, its current estimate with the
low–high range and the net flow it includes (docs/population.md).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from reliefops.core import exchange as ex
from reliefops.crossings.choices import CELLS, CountMethod, Direction, cell_field, cell_hxl

LIST_SEPARATOR = ";"


def parse_hour(text: str) -> int:
    value = ex.parse_int(text)
    if not 0 <= value <= 23:
        raise ValueError(_("An hour is 0–23."))
    return value


def parse_count(text: str) -> int:
    value = ex.parse_int(text)
    if value < 0:
        raise ValueError(_("A count is 0 or more."))
    return value


def parse_codes(text: str) -> list[str]:
    return [part.strip() for part in text.split(LIST_SEPARATOR) if part.strip()]


def render_codes(value: Any) -> str:
    return LIST_SEPARATOR.join(str(v) for v in value or [])


CELL_FIELD_LIST = tuple(
    ex.Field(cell_field(sex, band), hxl=cell_hxl(sex, band), parse=parse_count)
    for sex, band in CELLS
)

CROSSING_COUNT = ex.Fields(
    ex.Field("crossing_point", hxl="#loc+crossing+code", required=True, key=True),
    ex.Field("date", hxl="#date", parse=ex.parse_date, required=True, key=True),
    ex.Field("hour", hxl="#date+hour", parse=parse_hour, key=True),
    ex.Field(
        "direction",
        hxl="#indicator+direction",
        parse=ex.parse_choice(Direction),
        required=True,
        key=True,
    ),
    *CELL_FIELD_LIST,
    ex.Field("persons", hxl="#affected+num", parse=parse_count),
    ex.Field("vehicles", hxl="#indicator+vehicles+num", parse=parse_count),
    ex.Field("organisation", hxl="#org+code"),
    ex.Field("source", hxl="#meta+source"),
    ex.Field("method", hxl="#meta+method", parse=ex.parse_choice(CountMethod)),
    ex.Field("notes", hxl="#description+notes"),
    ex.Field("reason", hxl="#meta+reason", stored=False),
    ex.Field("area", hxl="#adm1+code", stored=False),
)

CROSSING_POINT = ex.Fields(
    ex.Field("code", hxl="#loc+crossing+code", key=True),
    ex.Field("names", hxl="#loc+crossing+name", translated="name"),
    ex.Field("place", hxl="#loc+code"),
    ex.Field("area", hxl="#adm1+code"),
    ex.Field("status", hxl="#status"),
    ex.Field("catchment", hxl="#adm1+code+catchment", parse=parse_codes, render=render_codes),
    ex.Field("outbound", hxl="#affected+num+outbound"),
    ex.Field("inbound", hxl="#affected+num+inbound"),
    ex.Field("days", hxl="#meta+days"),
    ex.Field("last_count", hxl="#date+last"),
    ex.Field("latitude", hxl="#geo+lat", column="lat", parse=ex.parse_float),
    ex.Field("longitude", hxl="#geo+lon", column="lon", parse=ex.parse_float),
)

POPULATION = ex.Fields(
    ex.Field("place", hxl="#loc+code", required=True, key=True),
    ex.Field("area", hxl="#adm1+code", stored=False),
    ex.Field("population", hxl="#population+num", parse=parse_count, required=True),
    ex.Field("as_of", hxl="#date+baseline", parse=ex.parse_date, key=True),
    ex.Field("source", hxl="#meta+source", required=True, key=True),
    ex.Field("notes", hxl="#description+notes"),
    ex.Field("estimate", hxl="#population+num+estimated", stored=False),
    ex.Field("estimate_low", hxl="#population+num+estimated+low", stored=False),
    ex.Field("estimate_high", hxl="#population+num+estimated+high", stored=False),
    ex.Field("net_flow", hxl="#affected+num+net_flow", stored=False),
    ex.Field("estimate_on", hxl="#date+estimated", stored=False),
)
"""On import only ``place``, ``population``, ``as_of``, ``source`` and ``notes`` are read
(one baseline per row); the estimate columns are what the export adds."""
