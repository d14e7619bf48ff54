"""Bulk exchange of the needs domain: requests (one row per line) and the gap table.

``requests``  rows sharing a ``reference`` are the lines of one request and must be
              consecutive; request-level columns must agree across its rows. ``place`` is
              a P-code or a name in any language or script, resolved by the gazetteer's
              resolver (``place_resolve``); an ambiguous or unknown name is a row error with
              the candidates. A reference that already exists is refused (requests are
              workflow records: they are never silently overwritten).
``gap``       export only: the gap analysis table.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reliefops.core import exchange as ex
from reliefops.core.actions import Action
from reliefops.core.errors import ApplicationError, Forbidden
from reliefops.core.workflow import InvalidTransition, ReasonRequired
from reliefops.needs import services
from reliefops.needs.choices import (
    Priority,
    RequesterKind,
    RequestSource,
    RequestStatus,
    ServiceType,
)
from reliefops.needs.filtersets import DaysQuery
from reliefops.needs.models import Request
from reliefops.needs.selectors import gap_analysis, request_list
from reliefops.organisations.models import Organisation
from reliefops.places.selectors import place_resolve

REQUEST_FIELDS = (
    "requester_kind",
    "facility",
    "place",
    "organisation",
    "people_count",
    "priority",
    "needed_from",
    "needed_by",
    "justification",
    "source",
    "decision_reference",
    "status",
)

REQUEST_COLUMNS = [
    ex.Column("reference", hxl="#activity+request+code", default=""),
    ex.Column(
        "requester_kind",
        hxl="#activity+requester+type",
        parse=ex.parse_choice(RequesterKind),
        default=RequesterKind.PLACE,
    ),
    ex.Column("facility", hxl="#loc+facility+code", default=""),
    ex.Column("place", hxl="#loc+name", default=""),
    ex.Column("organisation", hxl="#org+code", required=True),
    ex.Column("people_count", hxl="#affected+num", parse=ex.parse_int),
    ex.Column(
        "priority", hxl="#severity", parse=ex.parse_choice(Priority), default=Priority.ROUTINE
    ),
    ex.Column("needed_from", hxl="#date+start", parse=ex.parse_date, required=True),
    ex.Column("needed_by", hxl="#date+end", parse=ex.parse_date, required=True),
    ex.Column("justification", hxl="#description", default=""),
    ex.Column(
        "source",
        hxl="#meta+source",
        parse=ex.parse_choice(RequestSource),
        default=RequestSource.PARTNER,
    ),
    ex.Column("decision_reference", hxl="#meta+decision", default=""),
    ex.Column(
        "status",
        hxl="#status",
        parse=ex.parse_choice(RequestStatus),
        default=RequestStatus.SUBMITTED,
    ),
    ex.Column("item", hxl="#item+code", default=""),
    ex.Column(
        "service_type", hxl="#activity+service", parse=ex.parse_choice(ServiceType), default=""
    ),
    ex.Column("quantity", hxl="#value+requested", parse=ex.parse_positive_decimal, required=True),
    ex.Column("unit", hxl="#item+unit", default=""),
    ex.Column(
        "quantity_planned",
        hxl="#value+planned",
        parse=ex.parse_non_negative_decimal,
        default=Decimal("0"),
    ),
    ex.Column(
        "quantity_dispatched",
        hxl="#value+dispatched",
        parse=ex.parse_non_negative_decimal,
        default=Decimal("0"),
    ),
    ex.Column(
        "quantity_delivered",
        hxl="#value+delivered",
        parse=ex.parse_non_negative_decimal,
        default=Decimal("0"),
    ),
]


class RequestImporter(ex.Importer):
    columns = REQUEST_COLUMNS
    permission = Action.REQUEST_SUBMIT
    description = "Requests, one row per line (rows of a request share its reference)"

    def prepare(self) -> None:
        from reliefops.places.models import Facility, Place
        from reliefops.stock.models import Item

        self.facilities = {f.code: f for f in Facility.objects.select_related("place__admin1")}
        self.items = {i.code: i for i in Item.objects.all()}
        self.organisations = {o.acronym: o for o in Organisation.objects.all()}
        self.place_codes = {p.code: p for p in Place.objects.select_related("admin1")}
        self.places_by_id = {p.pk: p for p in self.place_codes.values()}
        self.resolved: dict[str, Any] = {}
        self.existing = set(Request.objects.values_list("reference", flat=True))
        self.finished: set[str] = set()
        self.current: tuple[str, tuple[Any, ...]] | None = None
        self.pending: list[dict[str, Any]] = []

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
            if reference in self.existing:
                raise ex.CellError("reference", _("A request with this reference exists."))
            header = tuple(clean[f] for f in REQUEST_FIELDS)
            if self.current is not None and self.current[0] == reference:
                if self.current[1] != header:
                    raise ex.CellError(
                        "reference", _("Rows of one request must agree on its request columns.")
                    )
            else:
                if reference in self.finished:
                    raise ex.CellError("reference", _("Rows of one request must be consecutive."))
                if self.current is not None:
                    self.finished.add(self.current[0])
                self.current = (reference, header)
        return clean

    def _scope_check(
        self, data: dict[str, Any], *, organisation: Any, facility: Any, place: Any, item: Any
    ) -> None:
        """The service's checks on this row (scope, workflow status), as a row error."""
        request = services.RequestInput(
            requester_kind=data["requester_kind"],
            organisation=organisation,
            lines=[services.LineInput(data["quantity"], item, data["service_type"])],
            needed_from=data["needed_from"],
            needed_by=data["needed_by"],
            place=None if facility is not None else place,
            facility=facility,
            people_count=data["people_count"],
            status=data["status"],
            planned=[
                (data["quantity_planned"], data["quantity_dispatched"], data["quantity_delivered"])
            ],
        )
        try:
            services.request_import_check(actor=self.actor, data=request)
        except Forbidden as exc:
            raise ex.CellError(
                "organisation",
                _("You may not record requests of this organisation, in this area or status."),
            ) from exc
        except (InvalidTransition, ReasonRequired) as exc:
            raise ex.CellError("status", str(exc.message)) from exc
        except ApplicationError as exc:
            raise ex.CellError(str(exc.details.get("field") or "status"), str(exc.message)) from exc

    # Rows of one request may straddle two chunks: keep the last group pending.
    def apply(self, rows: list[dict[str, Any]]) -> int:
        self.pending.extend(rows)
        last = self.pending[-1]["reference"]
        if not last:
            ready, self.pending = self.pending, []
        else:
            cut = len(self.pending)
            while cut > 0 and self.pending[cut - 1]["reference"] == last:
                cut -= 1
            ready, self.pending = self.pending[:cut], self.pending[cut:]
        return self._write(ready)

    def finish(self) -> None:
        self._write(self.pending)
        self.pending = []

    def _write(self, rows: list[dict[str, Any]]) -> int:
        if not rows:
            return 0
        requests: list[services.RequestInput] = []
        previous = None
        for row in rows:
            if not row["reference"] or row["reference"] != previous:
                requests.append(
                    services.RequestInput(
                        requester_kind=row["requester_kind"],
                        organisation=row["organisation"],
                        lines=[],
                        needed_from=row["needed_from"],
                        needed_by=row["needed_by"],
                        place=row["place"],
                        facility=row["facility"],
                        priority=row["priority"],
                        justification=row["justification"],
                        source=row["source"],
                        decision_reference=row["decision_reference"],
                        people_count=row["people_count"],
                        reference=row["reference"],
                        status=row["status"],
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
        return services.request_import_bulk(actor=self.actor, requests=requests)


class RequestExporter(ex.Exporter):
    columns = REQUEST_COLUMNS

    def rows(self) -> Iterator[dict[str, Any]]:
        requests = request_list(actor=self.actor).order_by("reference")
        for request in requests.iterator(chunk_size=500):
            lines = sorted(
                request.lines.all(),
                key=lambda x: (x.item.code if x.item else "", x.service_type, x.quantity),
            )
            for line in lines:
                yield {
                    "reference": request.reference,
                    "requester_kind": request.requester_kind,
                    "facility": request.facility.code if request.facility else "",
                    "place": request.place.code,
                    "organisation": request.organisation.acronym,
                    "people_count": request.people_count,
                    "priority": request.priority,
                    "needed_from": request.needed_from,
                    "needed_by": request.needed_by,
                    "justification": request.justification,
                    "source": request.source,
                    "decision_reference": request.decision_reference,
                    "status": request.status,
                    "item": line.item.code if line.item else "",
                    "service_type": line.service_type,
                    "quantity": line.quantity,
                    "unit": line.unit,
                    "quantity_planned": line.quantity_planned,
                    "quantity_dispatched": line.quantity_dispatched,
                    "quantity_delivered": line.quantity_delivered,
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
        report = gap_analysis(actor=self.actor, days=self.filters["days"])
        for row in report.rows:
            yield row.as_dict(report.days)


ex.register(
    "requests", importer=RequestImporter, exporter=RequestExporter, label=gettext_lazy("Requests")
)
ex.register("gap", exporter=GapExporter, label=gettext_lazy("Gap analysis"))
