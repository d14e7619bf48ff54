"""The ``rounds`` kind: export one row per stop; import (and field submissions) take a
round's workflow steps.

The export names people by their pseudonymous reference only; it is scoped like the pages
(``person.read`` in the round's area), and a stop whose person the actor may not read is
left out. The import reads ``round`` + ``status`` (+ ``reason`` to cancel) and brings the
round to that status through :func:`~reliefops.teams.services.round_transition`, each
step checked (:func:`~reliefops.teams.services.round_steps_to`); a status the round has
reached or passed through is unchanged, so replays and late arrivals are harmless, and the
export (whose other columns the import ignores) re-imports unchanged. An unknown round is
pending. (The ``visits`` kind is in :mod:`.visits`.)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reliefops.core import exchange as ex
from reliefops.core.actions import Action
from reliefops.core.errors import ApplicationError
from reliefops.core.exchange.errors import cell_error
from reliefops.teams import services
from reliefops.teams.fields import ROUND_STEP, ROUND_STOP
from reliefops.teams.filtersets import RoundFilterSet
from reliefops.teams.models import Round
from reliefops.teams.selectors import round_list
from reliefops.teams.selectors.rounds import readable_person_ids


class RoundStepImporter(ex.Importer):
    columns = ROUND_STEP.columns()
    permission = Action.ROUND_RUN
    description = "Round steps (the status a round reaches: in_progress, completed, cancelled)"
    key_columns = ("round",)
    submissions: ClassVar[bool] = True

    def prepare(self) -> None:
        self.wanted: dict[str, str] = {}

    def lookup(self, key: Any) -> Round | None:
        return (
            Round.objects.select_related("team", "area", "team__organisation")
            .filter(reference=key[0])
            .first()
        )

    def current(self, record: Any) -> dict[str, Any]:
        return {"status": record.status}

    def diff(self, record: Any, data: dict[str, Any]) -> dict[str, ex.Change]:
        return {"status": (record.status, data["status"])} if data["steps"] else {}

    def _steps(self, rnd: Round, data: dict[str, Any]) -> list[str]:
        return services.round_steps_to(
            actor=self.actor, round=rnd, status=data["status"], reason=data["reason"] or ""
        )

    def clean(self, data: dict[str, Any], row: int) -> dict[str, Any]:
        reference = data["round"]
        if self.wanted.setdefault(reference, data["status"]) != data["status"]:
            raise ex.CellError("status", _("The file gives this round another status above."))
        rnd = self.existing_record(data)
        if rnd is None:
            raise ex.CellError(
                "round", _("No such round (yet): the step waits for it."), pending=True
            )
        data["_round"] = rnd  # where the record is (a submission is filed under its area)
        try:
            data["steps"] = self._steps(rnd, data)
        except ApplicationError as exc:
            raise cell_error(exc, column="status") from exc
        return data

    def update(self, rows: list[dict[str, Any]]) -> int:
        written = 0
        done: set[str] = set()
        for data in rows:
            if data["round"] in done:
                continue
            done.add(data["round"])
            rnd = self.lookup((data["round"],))
            assert rnd is not None  # the check pass found it
            for step in self._steps(rnd, data):  # again: the round may have moved since
                services.round_transition(
                    actor=self.actor, round=rnd, step=step, reason=data["reason"] or ""
                )
                written += 1
        return written


class RoundExporter(ex.Exporter):
    columns = ROUND_STOP.columns()
    filterset = RoundFilterSet

    def rows(self) -> Iterator[dict[str, Any]]:
        readable = readable_person_ids(self.actor)
        for rnd in self.filtered(round_list(actor=self.actor)).order_by("date", "reference"):
            for stop in rnd.stops.all():
                if stop.person_id is not None and stop.person_id not in readable:
                    continue
                yield ROUND_STOP.row_cells(
                    stop,
                    round=rnd.reference,
                    date=rnd.date,
                    status=rnd.status,
                    team=rnd.team.code,
                    place=stop.place.code,
                    person=stop.person.reference if stop.person is not None else "",
                )


ex.register(
    "rounds",
    importer=RoundStepImporter,
    exporter=RoundExporter,
    label=gettext_lazy("Rounds (one row per stop)"),
)
