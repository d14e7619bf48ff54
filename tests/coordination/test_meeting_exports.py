"""CSV exports of meetings, decisions and action items: columns, scope, filters."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from reliefops.coordination import services
from reliefops.core.exchange import export_write
from tests.coordination.meeting_scene import Scene

pytestmark = pytest.mark.django_db


def _rows(export: str, actor, **filters) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    out = io.BytesIO()
    export_write(kind=export, stream=out, actor=actor, fmt="csv", filters=filters or None)
    return list(csv.DictReader(io.StringIO(out.getvalue().decode("utf-8-sig"))))


def test_the_three_kinds_export_in_scope(scene: Scene) -> None:
    decision = services.decision_record(
        actor=scene.coordinator, agenda_item=scene.meeting.agenda.first(), text="Fuel"
    )
    late = services.decision_action_create(
        actor=scene.coordinator, decision=decision, title="Deliver fuel",
        owner_organisation=scene.own, due_date=dt.date(2000, 1, 1),
    )  # fmt: skip
    meetings = _rows("meetings", scene.viewer)
    assert [m["reference"] for m in meetings] == [scene.meeting.reference]
    row = meetings[0]
    assert row["agenda"] == "1. Fuel for schools | 2. Food"
    assert (row["place"], row["place_name"], row["organisations"]) == (
        "MM-P-N",
        "Northville",
        "OTHER OWN",
    )
    assert (row["decisions"], row["action_items"], row["working_group"]) == ("1", "1", "WG-HEAT")
    assert len(_rows("meetings", scene.coordinator)) == 2
    assert len(_rows("meetings", scene.coordinator, kind=["bilateral"])) == 1
    decisions = _rows("decisions", scene.viewer)
    assert [(d["reference"], d["text"], d["agenda_item"]) for d in decisions] == [
        (decision.reference, "Fuel", "1")
    ]
    items = _rows("action-items", scene.viewer)
    assert [(i["reference"], i["status"], i["owner_organisation"]) for i in items] == [
        (late.reference, "open", "OWN")
    ]
    assert items[0]["overdue"].lower() in {"true", "1", "yes"}
    assert _rows("action-items", scene.viewer, overdue="false") == []
