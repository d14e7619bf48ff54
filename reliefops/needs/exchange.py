"""Bulk exchange of the needs domain: requests (one row per line) and the gap table.

``requests``  rows sharing a ``reference`` are the lines of one request and must be
              consecutive; request-level columns must agree across its rows. ``place`` is
              a P-code or a name in any language or script, resolved by the gazetteer's
              resolver (``place_resolve``); an ambiguous or unknown name is a row error with
              the candidates. A reference that exists updates that request through
              ``request_import_update`` (details and line quantities while it is open
              to edits; lines matched by item, never deleted; a status change only as
              ONE step its workflow allows) — an edited export re-imports as updates.
``gap``       export only: the gap analysis table.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reliefops.core import exchange as ex
from reliefops.core.actions import Action
from reliefops.core.errors import ApplicationError, Forbidden
from reliefops.core.queries import query_validate
from reliefops.core.workflow import InvalidTransition, ReasonRequired
from reliefops.needs import services
from reliefops.needs.choices import RequesterKind
from reliefops.needs.fields import REQUEST, REQUEST_HEADER, REQUEST_LINE, REQUEST_LINE_PROGRESS
from reliefops.needs.filtersets import DaysQuery, RequestFilterSet
from reliefops.needs.models import Request
from reliefops.needs.selectors import (
    gap_analysis,
    request_import_references,
    request_lines_of,
    request_list,
)
from reliefops.places.selectors import place_resolve

REQUEST_COLUMNS = [*REQUEST.columns(), *REQUEST_LINE.columns()]
"""One row per line: the request's declared fields, then the line's (``needs.fields``)."""


class RequestImporter(ex.Importer):
    columns = REQUEST_COLUMNS
    permission = Action.REQUEST_SUBMIT
    description = "Requests, one row per line (rows of a request share its reference)"
    key_columns = ("reference",)

    def prepare(self) -> None:
        known = request_import_references()
        self.facilities = known.facilities
        self.items = known.items
        self.organisations = known.organisations
        self.place_codes = known.places
        self.places_by_id = {p.pk: p for p in self.place_codes.values()}
        self.resolved: dict[str, Any] = {}
        self.references = known.references
        self.finished: set[str] = set()
        self.group: tuple[str, tuple[Any, ...]] | None = None

    def lookup(self, key: Any) -> Request | None:
        (reference,) = key
        if reference not in self.references:
            return None
        return (
            Request.objects.select_related("area", "organisation", "facility", "place")
            .prefetch_related("lines__item")
            .filter(reference=reference)
            .first()
        )

    def diff(self, record: Any, data: dict[str, Any]) -> dict[str, ex.Change]:
        """The request's fields and the row's line (matched by item or service)."""
        found = ex.changes({name: getattr(record, name) for name in REQUEST_HEADER}, data)
        line = next(
            (
                x
                for x in record.lines.all()
                if x.item_id == (data["item"].pk if data["item"] else None)
                and x.service_type == (data["service_type"] or "")
            ),
            None,
        )
        if line is None:
            found["line"] = ("", data["item"] or data["service_type"])
            return found
        current = {name: getattr(line, name) for name in ("quantity", *REQUEST_LINE_PROGRESS)}
        if data["unit"]:
            current["unit"] = line.unit
        found.update(ex.changes(current, data))
        return found

    def _place(self, text: str) -> Any:
        if text in self.place_codes:
            return self.place_codes[text]
        if text not in self.resolved:
            try:
                self.resolved[text] = self.places_by_id.get(place_resolve(text).pk)
            except ApplicationError as exc:
                self.resolved[text] = str(exc.message)
        value = self.resolved[text]
        if isinstance(value, str) or value is None:
            raise ex.CellError("place", value or _("No place matches this name."))
        return value

    def clean(self, data: dict[str, Any], row: int) -> dict[str, Any]:
        organisation = self.organisations.get(data["organisation"])
        if organisation is None:
            raise ex.CellError("organisation", _("No organisation with this acronym."))
        facility = None
        if data["facility"]:
            facility = self.facilities.get(data["facility"])
            if facility is None:
                raise ex.CellError("facility", _("No facility with this code."))
        if facility is not None:
            place = facility.place
        elif data["place"]:
            place = self._place(data["place"])
        else:
            raise ex.CellError("place", _("Give a facility or a place."))
        if data["requester_kind"] == RequesterKind.FACILITY and facility is None:
            raise ex.CellError("facility", _("A facility request needs the facility code."))
        item = None
        if data["item"]:
            item = self.items.get(data["item"])
            if item is None:
                raise ex.CellError("item", _("No item with this code."))
        elif not data["service_type"]:
            raise ex.CellError("item", _("Each line needs an item or a service."))
        if data["needed_by"] < data["needed_from"]:
            raise ex.CellError("needed_by", _("'Needed by' is before 'needed from'."))
        if data["quantity_delivered"] > data["quantity"]:
            raise ex.CellError("quantity_delivered", _("More delivered than requested."))
        self._scope_check(
            data, organisation=organisation, facility=facility, place=place, item=item
        )
        clean = {
            **data,
            "organisation": organisation,
            "facility": facility,
            "place": place,
            "item": item,
        }
        reference = data["reference"]
        if reference:
            header = tuple(clean[f] for f in REQUEST_HEADER)
            if self.group is not None and self.group[0] == reference:
                if self.group[1] != header:
                    raise ex.CellError(
                        "reference", _("Rows of one request must agree on its request columns.")
                    )
            else:
                if reference in self.finished:
                    raise ex.CellError("reference", _("Rows of one request must be consecutive."))
                if self.group is not None:
                    self.finished.add(self.group[0])
                self.group = (reference, header)
        return clean

    def _scope_check(
        self, data: dict[str, Any], *, organisation: Any, facility: Any, place: Any, item: Any
    ) -> None:
        """The service's checks on this row (scope, workflow status; for an existing
        request those of its update), as a row error."""
        existing = self.existing_record(data)
        request = services.RequestInput(
            **{
                **{name: data[name] for name in REQUEST_HEADER},
                "organisation": organisation,
                "place": None if facility is not None else place,
                "facility": facility,
            },
            lines=[services.LineInput(data["quantity"], item, data["service_type"], data["unit"])],
            planned=[
                (data["quantity_planned"], data["quantity_dispatched"], data["quantity_delivered"])
            ],
        )
        try:
            if existing is None:
                services.request_import_check(actor=self.actor, data=request)
            elif self.mode == ex.MODE_UPSERT:
                services.request_import_update_check(
                    actor=self.actor, request=existing, data=request
                )
        except Forbidden as exc:
            raise ex.CellError(
                "organisation",
                _("You may not record requests of this organisation, in this area or status."),
            ) from exc
        except (InvalidTransition, ReasonRequired) as exc:
            raise ex.CellError("status", str(exc.message)) from exc
        except ApplicationError as exc:
            raise ex.CellError(str(exc.details.get("field") or "status"), str(exc.message)) from exc

    # The run hands over whole requests (rows sharing a reference are one record).
    def create(self, rows: list[dict[str, Any]]) -> int:
        requests = self._requests(rows)
        services.request_import_bulk(actor=self.actor, requests=requests)
        return len(requests)

    def update(self, rows: list[dict[str, Any]]) -> int:
        written = 0
        for data in self._requests(rows):
            record = self.lookup((data.reference,))
            if record is None:  # pragma: no cover - pass 1 found it
                raise ex.CellError("reference", _("The request no longer exists."))
            written += services.request_import_update(actor=self.actor, request=record, data=data)
        return written

    def _requests(self, rows: list[dict[str, Any]]) -> list[services.RequestInput]:
        requests: list[services.RequestInput] = []
        previous = None
        for row in rows:
            if not row["reference"] or row["reference"] != previous:
                requests.append(
                    services.RequestInput(
                        **{name: row[name] for name in ("reference", *REQUEST_HEADER)},
                        lines=[],
                        planned=[],
                    )
                )
            previous = row["reference"]
            request = requests[-1]
            request.lines = [
                *request.lines,
                services.LineInput(
                    quantity=row["quantity"],
                    item=row["item"],
                    service_type=row["service_type"],
                    unit=row["unit"],
                ),
            ]
            request.planned = [
                *request.planned,
                (row["quantity_planned"], row["quantity_dispatched"], row["quantity_delivered"]),
            ]
        return requests


EXPORT_CHUNK = 500  # requests read at a time, their lines in one query


class RequestExporter(ex.Exporter):
    columns = REQUEST_COLUMNS
    filterset = RequestFilterSet

    def rows(self) -> Iterator[dict[str, Any]]:
        requests = self.filtered(request_list(actor=self.actor).order_by("reference"))
        chunk: list[Request] = []
        for request in requests.prefetch_related(None).iterator(chunk_size=EXPORT_CHUNK):
            chunk.append(request)
            if len(chunk) == EXPORT_CHUNK:
                yield from self._chunk_rows(chunk)
                chunk = []
        yield from self._chunk_rows(chunk)

    def _chunk_rows(self, requests: list[Request]) -> Iterator[dict[str, Any]]:
        lines_of = request_lines_of(requests)
        for request in requests:
            lines = sorted(
                lines_of.get(request.pk, []),
                key=lambda x: (x.item.code if x.item else "", x.service_type, x.quantity),
            )
            cells = REQUEST.row_cells(
                request,
                facility=request.facility.code if request.facility else "",
                place=request.place.code,
                organisation=request.organisation.acronym,
            )
            for line in lines:
                yield {
                    **cells,
                    **REQUEST_LINE.row_cells(line, item=line.item.code if line.item else ""),
                }


GAP_COLUMNS = [
    ex.Column("area", hxl="#adm1+code"),
    ex.Column("area_name", hxl="#adm1+name"),
    ex.Column("item", hxl="#item+code"),
    ex.Column("item_name", hxl="#item+name"),
    ex.Column("unit", hxl="#item+unit"),
    ex.Column("estimated", hxl="#value+need+estimated"),
    ex.Column("requested", hxl="#value+need+requested"),
    ex.Column("need", hxl="#value+need"),
    ex.Column("available", hxl="#value+stock"),
    ex.Column("pipeline", hxl="#value+pipeline"),
    ex.Column("planned", hxl="#value+planned"),
    ex.Column("gap", hxl="#value+gap"),
    ex.Column("coverage_pct", hxl="#indicator+coverage+pct"),
    ex.Column("days_of_cover", hxl="#indicator+days_of_cover"),
]


class GapExporter(ex.Exporter):
    columns = GAP_COLUMNS
    query = DaysQuery

    def rows(self) -> Iterator[dict[str, Any]]:
        days = query_validate(self.filters, DaysQuery)["days"]
        report = gap_analysis(actor=self.actor, days=days)
        for row in report.rows:
            yield row.as_dict(report.days)


ex.register(
    "requests", importer=RequestImporter, exporter=RequestExporter, label=gettext_lazy("Requests")
)
ex.register("gap", exporter=GapExporter, label=gettext_lazy("Gap analysis"))
