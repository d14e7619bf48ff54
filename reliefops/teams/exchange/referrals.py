"""The ``referrals`` kind: export one row per referral (the person by pseudonymous
reference only, scoped like the referral list); import (and field submissions) refer
people through :func:`reliefops.teams.services.referral_create` and take the referral's
workflow steps through :func:`~reliefops.teams.services.referral_transition`.

A row without a ``reference`` refers a person (a field submission's id becomes the
referral's client id, so a retry lands once; the answer names the new reference). A row
naming a referral brings it to its ``status`` along :data:`REFERRAL_WORKFLOW` (a status
it has reached or passed through is unchanged); what a referral was created with does not
change. A ``visit`` that does not exist yet is *pending*. Formats: docs/field-kinds.md.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any, ClassVar

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reliefops.core import exchange as ex
from reliefops.core.actions import Action
from reliefops.core.errors import ApplicationError
from reliefops.core.exchange.errors import cell_error
from reliefops.teams import services
from reliefops.teams.choices import ReferralStatus, Urgency
from reliefops.teams.fields import REFERRAL
from reliefops.teams.filtersets import ReferralFilterSet
from reliefops.teams.models import Referral, Visit
from reliefops.teams.selectors import (
    lookup_person,
    lookup_referral_facility,
    referral_list,
    referral_scope,
    team_scope,
)

#: A service's field → the row's column.
COLUMN_OF = {"at": "status_at", "purpose": "person"}


def _code(obj: Any) -> str:
    return obj.code if obj is not None else ""


class ReferralImporter(ex.Importer):
    columns = REFERRAL.columns()
    permission = Action.REFERRAL_CREATE
    description = "Referrals (new ones without a reference; steps by status)"
    key_columns = ("reference",)
    submissions: ClassVar[bool] = True

    def lookup(self, key: Any) -> Referral | None:
        return (
            Referral.objects.select_related("person", "facility__place", "area", "facility_area")
            .filter(reference=key[0])
            .first()
        )

    def current(self, record: Any) -> dict[str, Any]:
        return {"status": record.status}

    def diff(self, record: Any, data: dict[str, Any]) -> dict[str, ex.Change]:
        return {"status": (record.status, data["status"])} if data.get("_steps") else {}

    # the row ---------------------------------------------------------------
    def clean(self, data: dict[str, Any], row: int) -> dict[str, Any]:
        client_id = getattr(self, "client_id", None)  # a field submission's id
        if not data.get("reference") and client_id:
            sent = Referral.objects.filter(client_id=client_id).first()
            if sent is not None:  # sent before: the same record again
                data["reference"] = sent.reference
        if data.get("reference"):
            return self._step(data)
        return self._new(data)

    def _step(self, data: dict[str, Any]) -> dict[str, Any]:
        referral = self.existing_record(data)
        if referral is None or not referral_scope(self.actor).filter(pk=referral.pk).exists():
            raise ex.CellError(
                "reference",
                _("No such referral (leave the reference empty to refer a person)."),
            )
        if data.get("person") and data["person"] != referral.person.reference:
            raise ex.CellError("person", _("A referral's person does not change."))
        data["_referral"], data["_steps"], data["_transferred_to"] = referral, [], None
        if not data.get("status"):
            return data
        try:
            steps = services.referral_steps_to(
                actor=self.actor, referral=referral, status=data["status"]
            )
        except ApplicationError as exc:
            raise cell_error(exc, column="status", columns=COLUMN_OF) from exc
        if "transfer" in steps:
            data["_transferred_to"] = self._facility(data, "transferred_to")
        data["_steps"] = steps
        return data

    def _facility(self, data: dict[str, Any], column: str) -> Any:
        if not data.get(column):
            raise ex.CellError(column, _("A value is required."))
        facility = lookup_referral_facility(data[column])
        if facility is None:
            raise ex.CellError(
                column, _("No hospital, field hospital or health post with this code.")
            )
        return facility

    def _visit(self, value: str | None) -> Visit | None:
        if not value:
            return None
        visit_id = uuid.UUID(value)
        visit = (
            Visit.objects.select_related("team", "person")
            .filter(Q(pk=visit_id) | Q(client_id=visit_id))
            .first()
        )
        if visit is None:
            raise ex.CellError(
                "visit", _("No such visit (yet): the referral waits for it."), pending=True
            )
        return visit

    def _new(self, data: dict[str, Any]) -> dict[str, Any]:
        if not data.get("person"):
            raise ex.CellError("person", _("A value is required."))
        person = lookup_person(self.actor, data["person"])
        if person is None:
            raise ex.CellError("person", _("No such person."))
        facility = self._facility(data, "facility")
        team = None
        if data.get("team"):
            team = team_scope(self.actor).filter(code=data["team"]).first()
            if team is None:
                raise ex.CellError("team", _("No such team."))
        for column in ("reason", "transport"):
            if not data.get(column):
                raise ex.CellError(column, _("A value is required."))
        if data.get("status") not in (None, "", ReferralStatus.REFERRED):
            raise ex.CellError(
                "status", _("A new referral starts as referred; the facility takes its steps.")
            )
        visit = self._visit(data.get("visit"))
        data["urgency"] = data.get("urgency") or Urgency.ROUTINE
        try:
            services.referral_create_check(
                actor=self.actor,
                person=person,
                facility=facility,
                reason=data["reason"],
                urgency=data["urgency"],
                transport=data["transport"],
                visit=visit,
                referred_at=data.get("referred_at"),
            )
        except ApplicationError as exc:
            raise cell_error(exc, column="person", columns=COLUMN_OF) from exc
        data.update(_person=person, _facility=facility, _team=team, _visit=visit)
        return data

    # writing ---------------------------------------------------------------
    def create(self, rows: list[dict[str, Any]]) -> int:
        client_id = getattr(self, "client_id", None)
        for data in rows:
            referral = services.referral_create(
                actor=self.actor,
                person=data["_person"],
                facility=data["_facility"],
                reason=data["reason"],
                urgency=data["urgency"],
                transport=data["transport"],
                visit=data["_visit"],
                team=data["_team"],
                referred_at=data.get("referred_at"),
                client_id=uuid.UUID(str(client_id)) if client_id and len(rows) == 1 else None,
            )
            data["reference"] = referral.reference  # the answer names the new referral
        return len(rows)

    def update(self, rows: list[dict[str, Any]]) -> int:
        written = 0
        done: set[str] = set()
        for data in rows:
            if data["reference"] in done:
                continue
            done.add(data["reference"])
            referral = self.lookup((data["reference"],))
            assert referral is not None  # the check pass found it
            for step in services.referral_steps_to(
                actor=self.actor, referral=referral, status=data["status"]
            ):
                referral = services.referral_transition(
                    actor=self.actor,
                    referral=referral,
                    step=step,
                    at=data.get("status_at"),
                    transferred_to=data["_transferred_to"] if step == "transfer" else None,
                )
                written += 1
        return written


class ReferralExporter(ex.Exporter):
    columns = REFERRAL.columns()
    filterset = ReferralFilterSet

    def rows(self) -> Iterator[dict[str, Any]]:
        referrals = self.filtered(referral_list(actor=self.actor)).select_related("facility_area")
        for referral in referrals:
            yield REFERRAL.row_cells(
                referral,
                person=referral.person.reference,
                facility=referral.facility.code,
                facility_area=_code(referral.facility_area),
                area=_code(referral.area),
                team=_code(referral.team),
                transferred_to=_code(referral.transferred_to),
                visit=str(referral.visit_id) if referral.visit_id else "",
            )


ex.register(
    "referrals",
    importer=ReferralImporter,
    exporter=ReferralExporter,
    label=gettext_lazy("Referrals"),
)
