"""The ``crossing-counts`` kind (import, export, field submissions) and the
``crossing-points`` export.

A row is one count; its key is the crossing point, date, hour (empty: the whole day) and
direction, so a re-imported or re-sent row updates the count it names — a correction,
written to the record's history with the row's ``reason`` (or "corrected by an import"
/ "... by a field submission"). Each row is checked like the record form: every field at
fault is named, and a row the importer may not record (the crossing point's area, the
organisation) is a row error, not a refused file.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from typing import Any, ClassVar

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reliefops.core import exchange as ex
from reliefops.core.actions import Action
from reliefops.core.errors import ApplicationError, InvalidInput
from reliefops.core.permissions import can_write
from reliefops.crossings import selectors, services
from reliefops.crossings.choices import CELL_FIELDS, CountMethod
from reliefops.crossings.fields import CROSSING_COUNT, CROSSING_POINT
from reliefops.crossings.filtersets import CrossingCountFilterSet, SpanQuery

KEY = ("crossing_point", "date", "hour", "direction")


def _first_problem(error: ApplicationError) -> tuple[str, str]:
    """(field, message) of a service's refusal: the first field it names."""
    details = error.details or {}
    fields = details.get("fields") if isinstance(details.get("fields"), dict) else None
    if fields:
        name = sorted(fields)[0]
        column = "persons" if name == "cells" else name
        text = "; ".join(f"{n}: {' '.join(str(m) for m in msgs)}" for n, msgs in fields.items())
        return column, text
    return str(details.get("field") or "crossing_point"), str(error.message)


class CrossingCountImporter(ex.Importer):
    columns = CROSSING_COUNT.columns()
    permission = Action.CROSSING_COUNT_RECORD
    description = "Flow counts at crossing points (persons by sex × age band, vehicles)."
    key_columns = KEY
    submissions: ClassVar[bool] = True

    def prepare(self) -> None:
        self.points = {
            p.code: p for p in selectors.crossing_points(actor=self.actor).select_related("place")
        }
        self.organisations: dict[str, Any] = {}
        self.default_organisation = selectors.recording_organisation_default(actor=self.actor)
        self.seen: set[Hashable] = set()
        self._last = None  # a record looked up before may have been written since

    def record_key(self, data: dict[str, Any]) -> Hashable | None:
        point, date, hour, direction = (data.get(k) for k in KEY)
        if point in (None, "") or date is None or direction in (None, ""):
            return None
        return (ex.value_text(point), ex.value_text(date), ex.value_text(hour), direction)

    def lookup(self, key: Any) -> Any | None:
        point = self.points.get(key[0])
        if point is None:
            return None
        hour = int(key[2]) if key[2] != "" else None
        return selectors.crossing_count_by_key(
            crossing_point=point, date=ex.parse_date(key[1]), hour=hour, direction=key[3]
        )

    def current(self, record: Any) -> dict[str, Any]:
        values = {name: getattr(record, name) for name in (*KEY, *CELL_FIELDS)}
        values.update(
            persons=record.persons,
            vehicles=record.vehicles,
            organisation=record.organisation,
            source=record.source,
            method=record.method,
            notes=record.notes,
        )
        return values

    def _organisation(self, acronym: str) -> Any:
        if not acronym:
            if self.default_organisation is None:
                raise ex.CellError("organisation", _("Say which organisation counted."))
            return self.default_organisation
        if acronym not in self.organisations:
            self.organisations[acronym] = selectors.lookup_organisation(acronym)
        found = self.organisations[acronym]
        if found is None:
            raise ex.CellError("organisation", _("Unknown organisation acronym."))
        return found

    def to_input(self, data: dict[str, Any]) -> services.CountInput:
        return services.CountInput(
            crossing_point=data["crossing_point"],
            date=data["date"],
            direction=data["direction"],
            hour=data["hour"],
            cells={name: data[name] for name in CELL_FIELDS},
            persons=data["persons"],
            vehicles=data["vehicles"],
            organisation=data["organisation"],
            source=data["source"] or "",
            method=data["method"],
            notes=data["notes"] or "",
        )

    def clean(self, data: dict[str, Any], row: int) -> dict[str, Any]:
        point = self.points.get(data["crossing_point"])
        if point is None:
            raise ex.CellError("crossing_point", _("No crossing point with this code."))
        key = self.record_key(data)
        if key in self.seen:
            raise ex.CellError(
                "date", _("This crossing point, day, hour and direction appear twice in the file.")
            )
        self.seen.add(key)
        data = {
            **data,
            "crossing_point": point,
            "organisation": self._organisation(data["organisation"] or ""),
            "method": data["method"] or CountMethod.COUNT,
        }
        try:
            values = services.crossing_count_check(self.to_input(data))
        except InvalidInput as exc:
            column, message = _first_problem(exc)
            raise ex.CellError(column, message) from exc
        data["persons"] = values["persons"]
        data["source"], data["notes"] = values["source"], values["notes"]
        existing = self.existing_record(data)
        area = services.crossing_point_area(point)
        scopes = [(area, data["organisation"])]
        if existing is not None:
            scopes.append((existing.area, existing.organisation))
        for where, organisation in scopes:
            if not can_write(
                self.actor, Action.CROSSING_COUNT_RECORD, area=where, organisation=organisation
            ):
                raise ex.CellError(
                    "crossing_point",
                    _("You may not record counts at this crossing point for %(org)s.")
                    % {"org": organisation.acronym},
                )
        return data

    def _reason(self, data: dict[str, Any]) -> str:
        if data.get("reason"):
            return str(data["reason"])
        if getattr(self, "client_id", None):
            return _("Corrected by a field submission")
        return _("Corrected by an import")

    def apply(self, rows: list[dict[str, Any]]) -> int:
        written = 0
        for data in rows:
            result = services.crossing_count_record(
                actor=self.actor, data=self.to_input(data), reason=self._reason(data)
            )
            written += result.outcome != services.UNCHANGED
        return written


class CrossingCountExporter(ex.Exporter):
    columns = CROSSING_COUNT.columns()
    filterset = CrossingCountFilterSet

    def rows(self) -> Iterator[dict[str, Any]]:
        counts = self.filtered(selectors.crossing_count_list(actor=self.actor)).order_by(
            "date", "crossing_point__code", "direction", "hour"
        )
        for count in counts.iterator(chunk_size=2000):
            yield CROSSING_COUNT.row_cells(
                count,
                crossing_point=count.crossing_point.code,
                organisation=count.organisation.acronym,
                area=count.area.code if count.area is not None else "",
                reason="",
            )


class CrossingPointExporter(ex.Exporter):
    """Crossing points with the persons counted per direction over ``days`` (default 14)
    to ``end`` (default today)."""

    columns = CROSSING_POINT.columns()
    query = SpanQuery

    def rows(self) -> Iterator[dict[str, Any]]:
        rows = selectors.crossing_point_rows(
            actor=self.actor, days=self.filters["days"], end=self.filters["end"]
        )
        for row in rows:
            p = row.point
            yield CROSSING_POINT.row_cells(
                p,
                place=p.place.code,
                area=p.place.admin1.code if p.place.admin1 is not None else "",
                catchment=row.catchment_codes,
                outbound=row.outbound,
                inbound=row.inbound,
                days=row.days,
                last_count=row.last_count,
            )


ex.register(
    "crossing-counts",
    importer=CrossingCountImporter,
    exporter=CrossingCountExporter,
    label=gettext_lazy("Crossing-point flow counts"),
)
ex.register(
    "crossing-points",
    exporter=CrossingPointExporter,
    label=gettext_lazy("Crossing points with their flows"),
)
