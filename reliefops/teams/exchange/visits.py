"""The ``visits`` kind: export one row per visit; import (and field submissions) record
and correct visits through :func:`reliefops.teams.services.visit_record` and
:func:`~reliefops.teams.services.visit_correct`.

A row names its visit by ``id``: the visit's own id (what the export writes) or the client
id a phone gave it (a submission's ``id``; without one, the submission's id is used). A
new id records a visit (with that client id, so a retry lands once); a known one corrects
what it recorded (outcome, services, follow-up, time — never the person, team or stop).
The stop is named by ``round`` + ``sequence``; a round or stop that does not exist yet is
*pending* (a submission waits for it; a file reports it). ``place`` and ``area`` are the
person's, written on export and ignored on import. People are named by their
pseudonymous reference only. The formats: docs/field-kinds.md.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any, ClassVar

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reliefops.core import exchange as ex
from reliefops.core.actions import Action
from reliefops.core.errors import ApplicationError, Conflict, Forbidden
from reliefops.core.exchange.errors import cell_error
from reliefops.people.selectors import person_scope
from reliefops.teams import services
from reliefops.teams.fields import VISIT
from reliefops.teams.filtersets import VisitFilterSet
from reliefops.teams.models import Round, RoundStop, Visit
from reliefops.teams.selectors import team_scope, visit_list, visit_scope

#: What a correction may change, as the row's columns.
CORRECTABLE = ("visited_at", "outcome", "services", "follow_up_due")
#: A service's field → the row's column.
COLUMN_OF = {"stop": "sequence", "client_id": "id", "purpose": "person"}


class VisitImporter(ex.Importer):
    columns = VISIT.columns()
    permission = Action.VISIT_RECORD
    description = "Visits (by id: a visit's id or the client id a phone gave it)"
    key_columns = ("id",)
    submissions: ClassVar[bool] = True

    def prepare(self) -> None:
        self.people: dict[str, Any] = {}
        self.teams: dict[str, Any] = {}
        self.rounds: dict[str, Round | None] = {}
        self.seen: set[str] = set()

    # lookups ---------------------------------------------------------------
    def lookup(self, key: Any) -> Visit | None:
        try:
            visit_id = uuid.UUID(str(key[0]))
        except ValueError:
            return None
        return (
            Visit.objects.select_related("person", "team", "stop__round", "area")
            .filter(pk=visit_id)
            .first()
            or Visit.objects.select_related("person", "team", "stop__round", "area")
            .filter(client_id=visit_id)
            .first()
        )

    def current(self, record: Any) -> dict[str, Any]:
        return {name: getattr(record, name) for name in CORRECTABLE}

    def diff(self, record: Any, data: dict[str, Any]) -> dict[str, ex.Change]:
        found = super().diff(record, data)
        if data.get("visited_at") is None:  # no time given: the recorded one stays
            found.pop("visited_at", None)
        return found

    def _person(self, reference: str) -> Any:
        if reference not in self.people:
            self.people[reference] = person_scope(self.actor).filter(reference=reference).first()
        return self.people[reference]

    def _team(self, code: str) -> Any:
        if code not in self.teams:
            self.teams[code] = team_scope(self.actor).filter(code=code).first()
        return self.teams[code]

    def _round(self, reference: str) -> Round | None:
        if reference not in self.rounds:
            self.rounds[reference] = (
                Round.objects.select_related("team", "area").filter(reference=reference).first()
            )
        return self.rounds[reference]

    def _stop(self, data: dict[str, Any]) -> RoundStop | None:
        reference, sequence = data.get("round"), data.get("sequence")
        if not reference:
            if sequence is not None:
                raise ex.CellError("round", _("Name the round of the stop."))
            return None
        if sequence is None:
            raise ex.CellError("sequence", _("Name the stop of the round."))
        rnd = self._round(reference)
        if rnd is None:
            raise ex.CellError(
                "round", _("No such round (yet): the visit waits for it."), pending=True
            )
        stop = RoundStop.objects.filter(round=rnd, sequence=sequence).first()
        if stop is None:
            raise ex.CellError(
                "sequence",
                _("The round has no such stop (yet): the visit waits for it."),
                pending=True,
            )
        stop.round = rnd
        return stop

    # the row ---------------------------------------------------------------
    def clean(self, data: dict[str, Any], row: int) -> dict[str, Any]:
        client_id = getattr(self, "client_id", None)  # a field submission's id
        if not data.get("id") and client_id:
            data["id"] = str(client_id)
        if data.get("id"):
            if data["id"] in self.seen:
                raise ex.CellError("id", _("This visit appears twice in the file."))
            self.seen.add(data["id"])
        person = self._person(data["person"])
        if person is None:
            raise ex.CellError("person", _("No such person."))
        team = self._team(data["team"])
        if team is None:
            raise ex.CellError("team", _("No such team."))
        stop = self._stop(data)
        data.update(person=person, team=team, stop=stop, outcome=data["outcome"] or "visited")
        data["services"] = data["services"] or []
        data.pop("place", None)
        data.pop("area", None)
        existing = self.existing_record(data)
        if existing is not None:
            self._check_correction(existing, data)
        else:
            try:
                services.visit_check(
                    actor=self.actor,
                    person=person,
                    team=team,
                    stop=stop,
                    visited_at=data["visited_at"],
                    outcome=data["outcome"],
                    follow_up_due=data["follow_up_due"],
                )
            except ApplicationError as exc:
                # Without a field: the team's right (Forbidden), the round's status
                # (Conflict), the person (not found, no consent).
                column = (
                    "team"
                    if isinstance(exc, Forbidden)
                    else "round"
                    if isinstance(exc, Conflict)
                    else "person"
                )
                raise cell_error(exc, column=column, columns=COLUMN_OF) from exc
        return data

    def _check_correction(self, visit: Visit, data: dict[str, Any]) -> None:
        if not visit_scope(self.actor).filter(pk=visit.pk).exists():
            raise ex.CellError("id", _("No such visit."))
        if visit.person_id != data["person"].pk:
            raise ex.CellError("person", _("A visit's person does not change."))
        if visit.team_id != data["team"].pk:
            raise ex.CellError("team", _("A visit's team does not change."))
        stop = data["stop"]
        if (stop.pk if stop is not None else None) != visit.stop_id:
            raise ex.CellError("sequence", _("A visit's stop does not change."))
        if not self.diff(visit, data):
            return
        try:
            services.visit_correct_check(actor=self.actor, visit=visit)
        except ApplicationError as exc:
            raise cell_error(exc, column="id", columns=COLUMN_OF) from exc

    # writing ---------------------------------------------------------------
    def create(self, rows: list[dict[str, Any]]) -> int:
        for data in rows:
            services.visit_record(
                actor=self.actor,
                person=data["person"],
                team=data["team"],
                stop=data["stop"],
                visited_at=data["visited_at"],
                outcome=data["outcome"],
                services=data["services"],
                follow_up_due=data["follow_up_due"],
                client_id=data.get("id") or None,
            )
        return len(rows)

    def update(self, rows: list[dict[str, Any]]) -> int:
        written = 0
        for data in rows:
            visit = self.lookup((data["id"],))
            assert visit is not None  # the check pass found it
            changed = {name: new for name, (_old, new) in self.diff(visit, data).items()}
            if changed:
                services.visit_correct(actor=self.actor, visit=visit, **changed)
                written += 1
        return written


class VisitExporter(ex.Exporter):
    columns = VISIT.columns()
    filterset = VisitFilterSet

    def rows(self) -> Iterator[dict[str, Any]]:
        for visit in self.filtered(visit_list(actor=self.actor)).iterator(chunk_size=2000):
            stop = visit.stop
            yield VISIT.row_cells(
                visit,
                id=str(visit.pk),
                person=visit.person.reference,
                team=visit.team.code,
                round=stop.round.reference if stop is not None else "",
                sequence=stop.sequence if stop is not None else None,
                place=visit.place.code,
                area=visit.area.code if visit.area is not None else "",
            )


ex.register("visits", importer=VisitImporter, exporter=VisitExporter, label=gettext_lazy("Visits"))
