"""Exchange kinds of the coordination domain.

``partners``    export only: the partner directory (with its list's filters).
``activities``  the 4W in the column layout of OCHA's 3W/4W templates (headers as there,
                HXL tags on the second row): one row per activity, keyed by its 4W ID. A
                row whose ID exists updates that activity (a status change only as one
                step of its workflow); a row with a new ID creates the activity under that
                ID, one without an ID under the next free one. Organisations are named by
                acronym (the ``Organisation`` name column is read only when the acronym
                is empty), areas and places by P-code (a location's name in any script
                when its P-code is empty). Totals are derived: a total given must equal
                the sum of its breakdown. Export → import re-creates identical rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reliefops.coordination import services
from reliefops.coordination.choices import (
    PEOPLE_FIELDS,
    PEOPLE_SEXES,
    ActivityStatus,
    AgeGroup,
    Sector,
)
from reliefops.coordination.filtersets import ActivityFilterSet, OrganisationFilterSet
from reliefops.coordination.selectors import (
    activity_by_reference,
    activity_list,
    activity_people,
    partner_organisation_list,
    partner_sector_codes,
)
from reliefops.core import exchange as ex
from reliefops.core.actions import Action
from reliefops.core.errors import ApplicationError
from reliefops.core.i18n import localized
from reliefops.core.workflow import InvalidTransition, ReasonRequired
from reliefops.organisations.selectors import organisation_list
from reliefops.places.selectors import admin_area_list, place_resolve, places_by_code

PARTNER_COLUMNS = [
    ex.Column("acronym", hxl="#org+acronym"),
    ex.Column("name", hxl="#org+name"),
    ex.Column("kind", hxl="#org+type"),
    ex.Column("sectors", hxl="#sector+list"),
]


class PartnerExporter(ex.Exporter):
    """The partner directory: organisations with the sectors seen in the actor's areas."""

    columns = PARTNER_COLUMNS
    filterset = OrganisationFilterSet

    def rows(self) -> Iterator[dict[str, Any]]:
        organisations = list(self.filtered(partner_organisation_list(actor=self.actor)))
        for row in partner_sector_codes(actor=self.actor, organisations=organisations):
            organisation = row["organisation"]
            yield {
                "acronym": organisation.acronym,
                "name": organisation.name,
                "kind": organisation.kind,
                "sectors": " ".join(row["sectors"]),
            }


ex.register("partners", exporter=PartnerExporter, label=gettext_lazy("Partner organisations"))

# --- added for meetings: the meetings, decisions and action-items kinds
from reliefops.coordination import meeting_exchange  # noqa: E402, F401

# --- added for fourw
_AGE_HEADERS = {"children": "children (0-17)", "adults": "adults (18-59)", "older": "older (60+)"}
_AGE_HXL = {"children": "children", "adults": "adults", "older": "elderly"}
_SEX_HXL = {"female": "f", "male": "m"}
_MEASURE = {"planned": ("Planned", "#targeted"), "reached": ("Reached", "#reached")}

#: People-count field → its column header ("Reached female adults (18-59)").
PEOPLE_COLUMN = {
    f"{m}_{sex}_{g}": f"{_MEASURE[m][0]} {sex} {_AGE_HEADERS[g]}"
    for m in _MEASURE
    for sex in PEOPLE_SEXES
    for g in AgeGroup.values
}
TOTAL_COLUMN = {"planned": "Planned total", "reached": "Reached total"}
ID = "4W ID"

ACTIVITY_COLUMNS = [
    ex.Column(ID, hxl="#activity+id", help="4W ID; empty: the next free one"),
    ex.Column("Organisation", hxl="#org+name", help="read when the acronym is empty"),
    ex.Column("Organisation acronym", hxl="#org+acronym"),
    ex.Column("Implementing partner", hxl="#org+impl", help="acronym (or name)"),
    ex.Column("Donor", hxl="#org+funder"),
    ex.Column(
        "Sector/Cluster", hxl="#sector+cluster", parse=ex.parse_choice(Sector), required=True
    ),
    ex.Column("Activity", hxl="#activity+name"),
    ex.Column("Activity code", hxl="#activity+code"),
    ex.Column("Country P-code", hxl="#country+code"),
    ex.Column("Admin 1 P-code", hxl="#adm1+code"),
    ex.Column("Admin 1", hxl="#adm1+name"),
    ex.Column("Admin 2 P-code", hxl="#adm2+code"),
    ex.Column("Admin 2", hxl="#adm2+name"),
    ex.Column("Location P-code", hxl="#loc+code"),
    ex.Column("Location", hxl="#loc+name"),
    ex.Column("Start date", hxl="#date+start", parse=ex.parse_date),
    ex.Column("End date", hxl="#date+end", parse=ex.parse_date),
    ex.Column(
        "Status",
        hxl="#status",
        parse=ex.parse_choice(ActivityStatus),
        default=ActivityStatus.PLANNED.value,
    ),
    *(
        ex.Column(
            header,
            hxl=f"{_MEASURE[name.split('_')[0]][1]}+{_SEX_HXL[name.split('_')[1]]}"
            f"+{_AGE_HXL[name.split('_')[2]]}",
            parse=ex.parse_int,
        )
        for name, header in PEOPLE_COLUMN.items()
        if name.startswith("planned_")
    ),
    ex.Column(TOTAL_COLUMN["planned"], hxl="#targeted+total", parse=ex.parse_int),
    *(
        ex.Column(
            header,
            hxl=f"{_MEASURE[name.split('_')[0]][1]}+{_SEX_HXL[name.split('_')[1]]}"
            f"+{_AGE_HXL[name.split('_')[2]]}",
            parse=ex.parse_int,
        )
        for name, header in PEOPLE_COLUMN.items()
        if name.startswith("reached_")
    ),
    ex.Column(TOTAL_COLUMN["reached"], hxl="#reached+total", parse=ex.parse_int),
]

#: A service error's field → the column it is reported in.
_FIELD_COLUMN = {
    "organisation": "Organisation acronym",
    "implementing_partner": "Implementing partner",
    "sector": "Sector/Cluster",
    "area": "Admin 1 P-code",
    "place": "Location P-code",
    "start_date": "Start date",
    "end_date": "End date",
    "status": "Status",
    "reference": ID,
    **PEOPLE_COLUMN,
}


def _where_cells(activity: Any) -> dict[str, str]:
    """Country, admin 1 and admin 2 cells of an activity's area."""
    area = activity.area
    chain = {area.level: area}
    while area.parent is not None and area.level > 0:
        area = area.parent
        chain[area.level] = area
    cells = {}
    for level, code_col, name_col in (
        (0, "Country P-code", ""),
        (1, "Admin 1 P-code", "Admin 1"),
        (2, "Admin 2 P-code", "Admin 2"),
    ):
        found = chain.get(level)
        cells[code_col] = found.code if found else ""
        if name_col:
            cells[name_col] = (localized(found.names) or found.code) if found else ""
    return cells


class ActivityImporter(ex.Importer):
    columns = ACTIVITY_COLUMNS
    permission = Action.ACTIVITY_EDIT
    description = "4W activities in the OCHA 3W/4W column layout (HXL-tagged), keyed by 4W ID."
    key_columns = (ID,)

    def prepare(self) -> None:
        self.organisations = {o.acronym: o for o in organisation_list(actor=self.actor)}
        self.organisation_names = {
            name.strip().lower(): o
            for o in self.organisations.values()
            for name in (o.names or {}).values()
            if name
        }
        self.areas = {a.code: a for a in admin_area_list(actor=self.actor)}
        self.places: dict[str, Any] = {}
        self.seen: set[str] = set()

    def lookup(self, key: Any) -> Any | None:
        return activity_by_reference(key[0])

    def current(self, record: Any) -> dict[str, Any]:
        return {
            "status": record.status,
            **{name: getattr(record, name) for name in services.ACTIVITY_FIELDS},
        }

    def _organisation(self, acronym: str, name: str, column: str) -> Any:
        if acronym:
            found = self.organisations.get(acronym)
            if found is None:
                raise ex.CellError(column, _("No organisation with this acronym."))
            return found
        if name:
            found = self.organisations.get(name) or self.organisation_names.get(name.lower())
            if found is None:
                raise ex.CellError(column, _("No organisation with this acronym or name."))
            return found
        return None

    def _area(self, data: dict[str, Any]) -> Any:
        area = None
        for column in ("Country P-code", "Admin 1 P-code", "Admin 2 P-code"):
            code = data[column]
            if not code:
                continue
            found = self.areas.get(code)
            if found is None:
                raise ex.CellError(column, _("No area has this P-code."))
            if area is not None and found.parent_id != area.pk:
                raise ex.CellError(column, _("This area is not in the area of the column before."))
            area = found
        return area

    def _place(self, data: dict[str, Any]) -> Any:
        code, name = data["Location P-code"], data["Location"]
        if code:
            if code not in self.places:
                self.places[code] = places_by_code([code]).get(code)
            if self.places[code] is None:
                raise ex.CellError("Location P-code", _("No place has this P-code."))
            return self.places[code]
        if name:
            try:
                return place_resolve(name)
            except ApplicationError as exc:
                raise ex.CellError("Location", str(exc.message)) from exc
        return None

    def clean(self, data: dict[str, Any], row: int) -> dict[str, Any]:
        reference = data[ID]
        if reference:
            if reference in self.seen:
                raise ex.CellError(ID, _("This 4W ID appears twice in the file."))
            self.seen.add(reference)
        organisation = self._organisation(
            data["Organisation acronym"], data["Organisation"], "Organisation acronym"
        )
        if organisation is None:
            raise ex.CellError("Organisation acronym", _("Give the organisation's acronym."))
        values: dict[str, Any] = {
            "organisation": organisation,
            "implementing_partner": self._organisation(
                data["Implementing partner"], "", "Implementing partner"
            ),
            "donor": data["Donor"] or "",
            "sector": data["Sector/Cluster"],
            "activity": data["Activity"] or "",
            "activity_code": data["Activity code"] or "",
            "area": self._area(data),
            "place": self._place(data),
            "start_date": data["Start date"],
            "end_date": data["End date"],
            **{name: data[header] for name, header in PEOPLE_COLUMN.items()},
        }
        for measure, column in TOTAL_COLUMN.items():
            total = data[column]
            parts = [values[n] for n in PEOPLE_FIELDS if n.startswith(f"{measure}_")]
            known = [p for p in parts if p is not None]
            if total is not None and known and sum(known) != total:
                raise ex.CellError(column, _("The total is not the sum of its breakdown."))
        status = data["Status"] or ActivityStatus.PLANNED
        existing = self.existing_record(data)
        try:
            if existing is None:
                values = services.activity_create_check(
                    actor=self.actor, values=values, status=status, reason=IMPORT_REASON
                )
            else:
                values = services.activity_update_check(
                    actor=self.actor,
                    activity=existing,
                    changes=values,
                    status=status,
                    reason=IMPORT_REASON,
                )
        except ApplicationError as exc:
            workflow = isinstance(exc, (InvalidTransition, ReasonRequired))
            field = str(exc.details.get("field") or ("status" if workflow else "organisation"))
            raise ex.CellError(
                _FIELD_COLUMN.get(field, "Organisation acronym"), str(exc.message)
            ) from exc
        return {ID: reference, "status": status, **values}

    def create(self, rows: list[dict[str, Any]]) -> int:
        for row in rows:
            values = {name: row[name] for name in services.ACTIVITY_FIELDS}
            services.activity_create(
                actor=self.actor,
                reference=row[ID],
                status=row["status"],
                reason=IMPORT_REASON,
                **values,
            )
        return len(rows)

    def update(self, rows: list[dict[str, Any]]) -> int:
        for row in rows:
            activity = activity_by_reference(row[ID])
            if activity is None:  # pragma: no cover - pass 1 found it
                raise ex.CellError(ID, _("The activity no longer exists."))
            services.activity_update(
                actor=self.actor,
                activity=activity,
                status=row["status"],
                reason=IMPORT_REASON,
                changes={name: row[name] for name in services.ACTIVITY_FIELDS},
            )
        return len(rows)


IMPORT_REASON = "import"


class ActivityExporter(ex.Exporter):
    """The 4W rows of the activity list's filters, in the OCHA template's columns."""

    columns = ACTIVITY_COLUMNS
    filterset = ActivityFilterSet

    def rows(self) -> Iterator[dict[str, Any]]:
        qs = self.filtered(activity_list(actor=self.actor)).select_related("area__parent__parent")
        for a in qs.order_by("reference").iterator(chunk_size=500):
            yield {
                ID: a.reference,
                "Organisation": localized(a.organisation.names) or a.organisation.acronym,
                "Organisation acronym": a.organisation.acronym,
                "Implementing partner": (
                    a.implementing_partner.acronym if a.implementing_partner else ""
                ),
                "Donor": a.donor,
                "Sector/Cluster": a.sector,
                "Activity": a.activity,
                "Activity code": a.activity_code,
                **_where_cells(a),
                "Location P-code": a.place.code if a.place else "",
                "Location": (localized(a.place.names) or a.place.code) if a.place else "",
                "Start date": a.start_date,
                "End date": a.end_date,
                "Status": a.status,
                **{header: getattr(a, name) for name, header in PEOPLE_COLUMN.items()},
                TOTAL_COLUMN["planned"]: activity_people(a, "planned"),
                TOTAL_COLUMN["reached"]: activity_people(a, "reached"),
            }


ex.register(
    "activities",
    importer=ActivityImporter,
    exporter=ActivityExporter,
    label=gettext_lazy("Activities (4W)"),
)
