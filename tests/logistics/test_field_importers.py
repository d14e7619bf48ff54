"""Importers of the convoys' field records (passages, deliveries) through ``import_file``
on small CSV files: recorded through the step services, replays unchanged, the export
re-imports unchanged, pending convoys reported, and a delivery arriving before the
passage its convoy made on the way (``passage_late``)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from reliefops.core import exchange as ex
from reliefops.core.errors import ApplicationError
from reliefops.core.models import AuditEvent
from reliefops.logistics import services
from reliefops.logistics.models import ConsignmentLine, Delivery, Passage
from reliefops.logistics.selectors import convoy_reconcile
from tests.accounts.factories import make_user
from tests.logistics import scene as world

pytestmark = pytest.mark.django_db

PASSAGE_HEAD = "convoy,tracking_number,crossing_point,time_in,time_out,outcome,held_items,notes"
DELIVERY_HEAD = "convoy,stop,receiver_name,received_at,receipts"


def run(kind: str, text: str, actor: Any, tmp_path: Path) -> ex.ImportReport:
    path = tmp_path / f"{kind}-{uuid.uuid4().hex[:6]}.csv"
    path.write_text(text, encoding="utf-8")
    return ex.import_file(kind=kind, path=path, actor=actor)


def exported(
    kind: str, actor: Any, tmp_path: Path, fmt: str = "csv"
) -> tuple[Path, list[dict[str, str]]]:
    """The export as a file of ``fmt`` and, read from a CSV export, its rows."""
    if fmt != "csv":
        stream = io.BytesIO()
        ex.export_write(kind=kind, stream=stream, actor=actor, fmt=fmt)
        path = (
            tmp_path / f"{kind}-export-{uuid.uuid4().hex[:6]}.{'xlsx' if fmt == 'xlsx' else 'csv'}"
        )
        path.write_bytes(stream.getvalue())
        return path, exported(kind, actor, tmp_path)[1]
    stream = io.BytesIO()
    ex.export_write(kind=kind, stream=stream, actor=actor, fmt="csv")
    path = tmp_path / f"{kind}-export-{uuid.uuid4().hex[:6]}.csv"
    path.write_bytes(stream.getvalue())
    return path, list(csv.DictReader(io.StringIO(stream.getvalue().decode("utf-8-sig"))))


def errors(report: ex.ImportReport) -> list[tuple[str, str]]:
    return [(e.column, e.message) for e in report.errors]


def ago(hours: float) -> str:
    moment = timezone.now() - dt.timedelta(hours=hours)
    return timezone.localtime(moment).replace(microsecond=0).isoformat()


def departed(scene: world.Scene) -> Any:
    convoy = world.plan(scene)
    services.convoy_load(actor=scene.officer, convoy=convoy)
    services.convoy_depart(actor=scene.officer, convoy=convoy)
    convoy.refresh_from_db()
    return convoy


def stop_number(convoy: Any, facility: Any) -> int:
    return int(convoy.stops.get(facility=facility).sequence)


def truck_tracking(convoy: Any, scene: world.Scene) -> str:
    return str(convoy.vehicles.get(vehicle=scene.truck).tracking_number)


# --------------------------------------------------------------------------- passages


def test_passages_import_records_a_hold_and_a_replay_is_unchanged(tmp_path: Path) -> None:
    scene = world.build()
    convoy = departed(scene)
    truck = truck_tracking(convoy, scene)
    text = (
        f"{PASSAGE_HEAD}\n{convoy.code},{truck},F-CP,{ago(5)},{ago(4)},partial,BRD=50,"
        "Held for inspection\n"
    )
    report = run("passages", text, scene.officer, tmp_path)
    assert report.ok, errors(report)
    assert (report.created, report.written) == (1, 1)
    passage = Passage.objects.get()
    assert passage.carrier.tracking_number == truck and passage.notes == "Held for inspection"
    held = list(passage.holds.select_related("line__item"))
    assert [(h.line.item.code, h.quantity) for h in held] == [("BRD", Decimal("50"))]
    assert held[0].line.returned == Decimal("50")  # back to the origin through the ledger
    convoy.refresh_from_db()
    assert convoy.status == "at_crossing"
    again = run("passages", text, scene.officer, tmp_path)
    assert again.ok and (again.created, again.unchanged, again.written) == (0, 1, 0)
    changed = run(
        "passages", text.replace("partial,BRD=50", "partial,BRD=60"), scene.officer, tmp_path
    )
    assert [c for c, _m in errors(changed)] == ["held_items"]
    assert Passage.objects.count() == 1 and all(r.balanced for r in convoy_reconcile(convoy))


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "hxl"])
def test_passages_export_re_imports_unchanged(tmp_path: Path, fmt: str) -> None:
    scene = world.build()
    convoy = departed(scene)
    truck = truck_tracking(convoy, scene)
    rows = (
        f"{convoy.code},,F-CP,{ago(6)},,passed,,\n"
        f"{convoy.code},{truck},F-CP,{ago(5)},{ago(4)},partial,BRD=20,\n"
    )
    assert run("passages", f"{PASSAGE_HEAD}\n{rows}", scene.officer, tmp_path).ok
    path, exported_rows = exported("passages", scene.officer, tmp_path, fmt)
    assert [r["held_items"] for r in exported_rows] == ["", "BRD=20"]
    report = ex.import_file(kind="passages", path=path, actor=scene.officer)
    assert report.ok, errors(report)
    assert (report.created, report.unchanged) == (0, 2)


def test_passages_import_reports_pending_convoys_and_bad_rows(tmp_path: Path) -> None:
    scene = world.build()
    planned = world.plan(scene)
    text = (
        f"{PASSAGE_HEAD}\n"
        f"CV-NOT-YET,,F-CP,{ago(5)},,passed,,\n"
        f"{planned.code},,F-CP,{ago(5)},,passed,,\n"
        f"{planned.code},,F-KG,{ago(5)},,passed,,\n"
    )
    report = run("passages", text, scene.officer, tmp_path)
    assert [e.column for e in report.errors] == ["convoy", "convoy", "convoy"]
    assert all("waits" in e.message for e in report.errors)
    services.convoy_load(actor=scene.officer, convoy=planned)
    services.convoy_depart(actor=scene.officer, convoy=planned)
    convoy = planned
    bad = run(
        "passages",
        f"{PASSAGE_HEAD}\n"
        f"{convoy.code},,F-KG,{ago(5)},,passed,,\n"
        f"{convoy.code},TN-NONE,F-CP,{ago(5)},,passed,,\n"
        f"{convoy.code},,F-CP,{ago(5)},,partial,,\n"
        f"{convoy.code},,F-CP,{ago(4)},,partial,XYZ=5,\n",
        scene.officer,
        tmp_path,
    )
    assert [e.column for e in bad.errors] == [
        "crossing_point",
        "tracking_number",
        "held_items",
        "held_items",
    ]
    # A logistics officer of another organisation may not record the convoy's passages.
    outsider = make_user("logistics", areas=[convoy.area], organisation=scene.other)
    refused = run(
        "passages",
        f"{PASSAGE_HEAD}\n{convoy.code},,F-CP,{ago(5)},,passed,,\n",
        outsider,
        tmp_path,
    )
    assert [e.column for e in refused.errors] == ["convoy"]
    assert not Passage.objects.exists()


# --------------------------------------------------------------------------- deliveries


def test_deliveries_import_spreads_receipts_over_lines_and_replays_unchanged(
    tmp_path: Path,
) -> None:
    scene = world.build()
    convoy = departed(scene)
    kg = stop_number(convoy, scene.kindergarten)
    # 1,000 l of diesel in two lots (600 + 400): 990 received, 10 leaked; bread omitted:
    # received whole.
    text = f'{DELIVERY_HEAD}\n{convoy.code},{kg},Head teacher,{ago(2)},"DSL=990:10:leaked"\n'
    report = run("deliveries", text, scene.officer, tmp_path)
    assert report.ok, errors(report)
    assert report.created == 1
    lines = ConsignmentLine.objects.filter(stop__sequence=kg, stop__convoy=convoy)
    diesel = sorted(
        (ln.lot.code, ln.delivered, ln.short, ln.short_reason)
        for ln in lines.select_related("lot")
        if ln.item_id == scene.diesel.pk
    )
    assert diesel == [
        ("D-EARLY", Decimal("600"), Decimal("0"), ""),
        ("D-LATE", Decimal("390"), Decimal("10"), "leaked"),
    ]
    bread = lines.get(item=scene.bread)
    assert bread.delivered == Decimal("300") and bread.on_board == 0
    convoy.refresh_from_db()
    assert convoy.status == "arrived"
    again = run("deliveries", text, scene.officer, tmp_path)
    assert again.ok and (again.unchanged, again.written) == (1, 0)
    other = run(
        "deliveries", text.replace("DSL=990:10:leaked", "DSL=1000"), scene.officer, tmp_path
    )
    assert [c for c, _m in errors(other)] == ["receipts"]
    assert Delivery.objects.count() == 1


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "hxl"])
def test_deliveries_export_re_imports_unchanged(tmp_path: Path, fmt: str) -> None:
    scene = world.build()
    convoy = departed(scene)
    kg, school = stop_number(convoy, scene.kindergarten), stop_number(convoy, scene.school)
    text = (
        f"{DELIVERY_HEAD}\n"
        f'{convoy.code},{kg},Head teacher,{ago(3)},"DSL=960:0::40:leaked;BRD=280:20:missing"\n'
        f"{convoy.code},{school},Caretaker,{ago(2)},\n"
    )
    assert run("deliveries", text, scene.officer, tmp_path).ok
    path, rows = exported("deliveries", scene.officer, tmp_path, fmt)
    assert [r["receipts"] for r in rows] == ["BRD=280:20:missing;DSL=960:0::40:leaked", "BRD=200"]
    report = ex.import_file(kind="deliveries", path=path, actor=scene.officer)
    assert report.ok, errors(report)
    assert (report.created, report.unchanged) == (0, 2)


def test_deliveries_import_reports_bad_receipts_and_pending_convoys(tmp_path: Path) -> None:
    scene = world.build()
    convoy = departed(scene)
    kg = stop_number(convoy, scene.kindergarten)
    report = run(
        "deliveries",
        f"{DELIVERY_HEAD}\n"
        f"CV-NOT-YET,1,Someone,{ago(2)},\n"
        f"{convoy.code},9,Someone,{ago(2)},\n"
        f'{convoy.code},{kg},Someone,{ago(2)},"DSL=2000"\n'
        f'{convoy.code},{kg},Someone,{ago(2)},"DSL=900:100"\n'
        f'{convoy.code},{kg},Someone,{ago(2)},"XYZ=1"\n',
        scene.officer,
        tmp_path,
    )
    assert [e.column for e in report.errors] == [
        "convoy",
        "stop",
        "receipts",
        "receipts",
        "receipts",
    ]
    assert "waits" in report.errors[0].message
    assert not Delivery.objects.exists()


# --------------------------------------------------------------------------- out of order


def test_a_delivery_before_its_passage_records_the_passage_late(tmp_path: Path) -> None:
    scene = world.build()
    convoy = departed(scene)
    kg = stop_number(convoy, scene.kindergarten)
    truck = truck_tracking(convoy, scene)
    # The delivery at the kindergarten reaches the server first: the convoy is arrived.
    delivered = run(
        "deliveries",
        f"{DELIVERY_HEAD}\n{convoy.code},{kg},Head teacher,{ago(2)},\n",
        scene.officer,
        tmp_path,
    )
    assert delivered.ok, errors(delivered)
    convoy.refresh_from_db()
    assert convoy.status == "arrived"
    changed_at = convoy.status_changed_at
    # The passage made on the way (before the arrival) arrives afterwards: it holds 30 kg
    # of the school's bread, still on board.
    late = run(
        "passages",
        f"{PASSAGE_HEAD}\n{convoy.code},{truck},F-CP,{ago(5)},{ago(4)},partial,BRD=30,\n",
        scene.officer,
        tmp_path,
    )
    assert late.ok, errors(late)
    convoy.refresh_from_db()
    assert (convoy.status, convoy.status_changed_at) == ("arrived", changed_at)
    assert AuditEvent.objects.filter(action="convoy.passage_late").count() == 1
    school_bread = ConsignmentLine.objects.get(carrier__convoy=convoy, stop__facility=scene.school)
    assert school_bread.returned == Decimal("30") and school_bread.on_board == Decimal("170")
    assert all(r.balanced for r in convoy_reconcile(convoy))
    # It may not hold what the kindergarten's delivery already received, ...
    kg_bread = run(
        "passages",
        f"{PASSAGE_HEAD}\n{convoy.code},{truck},F-CP,{ago(4.5)},,partial,BRD=500,\n",
        scene.officer,
        tmp_path,
    )
    assert [c for c, _m in errors(kg_bread)] == ["held_items"]
    # ... nor turn back a vehicle that delivered, and a passage after the arrival is refused.
    back = run(
        "passages",
        f"{PASSAGE_HEAD}\n{convoy.code},{truck},F-CP,{ago(4.5)},,turned_back,,\n",
        scene.officer,
        tmp_path,
    )
    assert [c for c, _m in errors(back)] == ["outcome"]
    after = run(
        "passages",
        f"{PASSAGE_HEAD}\n{convoy.code},,F-CP,{ago(1)},,passed,,\n",
        scene.officer,
        tmp_path,
    )
    assert [c for c, _m in errors(after)] == ["convoy"]
    assert Passage.objects.count() == 1


def test_passage_late_at_service_level_keeps_the_convoy_arrived() -> None:
    scene = world.build()
    convoy = departed(scene)
    services.convoy_arrive(actor=scene.officer, convoy=convoy)
    convoy.refresh_from_db()
    arrived = services.convoy_arrived_at(convoy)
    assert arrived is not None
    before = arrived - dt.timedelta(hours=1)
    assert services.passage_step(convoy, before) == "passage_late"
    assert services.passage_step(convoy, arrived + dt.timedelta(minutes=1)) == "passage"
    passage = services.passage_record(
        actor=scene.officer,
        convoy=convoy,
        data=services.PassageInput(crossing_point=scene.crossing, outcome="passed", time_in=before),
    )
    convoy.refresh_from_db()
    assert passage.pk and convoy.status == "arrived"
    with pytest.raises(ApplicationError) as refused:
        services.passage_record(
            actor=scene.officer,
            convoy=convoy,
            data=services.PassageInput(
                crossing_point=scene.crossing, outcome="passed", time_in=timezone.now()
            ),
        )
    assert refused.value.code == "invalid_transition"
    # A late passage is never offered as a button.
    assert "passage_late" not in services.convoy_steps_allowed(actor=scene.officer, convoy=convoy)
