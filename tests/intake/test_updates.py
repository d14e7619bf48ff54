"""Importing an edited export updates the records it names, through the same services,
scope checks and workflow as pages; counts are exact; ``--create-only`` refuses them."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from reliefops.accounts.choices import Role
from reliefops.core import exchange as ex
from reliefops.core.models import AuditEvent
from reliefops.intake.models import ImportRun
from reliefops.needs import services as needs
from reliefops.needs.models import Request, RequestLine
from reliefops.stock import services as stock
from reliefops.stock.models import StockTransaction
from tests.accounts.factories import OrganisationFactory, UserFactory, make_user
from tests.places.factories import AdminAreaFactory
from tests.stock.factories import FacilityFactory, ItemFactory, PlaceFactory, WarehouseFactory

pytestmark = pytest.mark.django_db
REQUESTS = 6


@pytest.fixture
def admin():
    return UserFactory(username="ops", is_superuser=True)


@pytest.fixture
def scene(admin) -> dict[str, Any]:
    """Six requests in area A (REQ-0 with two lines, REQ-4 approved), REQ-5 in area B; the
    request columns differ from their defaults (an export must re-import unchanged)."""
    organisation = OrganisationFactory(acronym="ARCS")
    area_a, area_b = AdminAreaFactory(code="ZZ-A"), AdminAreaFactory(code="ZZ-B")
    diesel, flour = ItemFactory(code="DSL", unit="litre"), ItemFactory(code="FLR")
    requests = []
    for i in range(REQUESTS):
        area = area_b if i == REQUESTS - 1 else area_a
        school = FacilityFactory(
            code=f"SCH-{i}", kind="school", place=PlaceFactory(code=f"ZZ-P{i}", admin1=area)
        )
        lines = [needs.LineInput(quantity=Decimal(100 + i), item=diesel)]
        if i == 0:
            lines.append(needs.LineInput(quantity=Decimal(40), item=flour))
        requests.append(
            needs.request_submit(
                actor=admin,
                data=needs.RequestInput(
                    requester_kind="facility",
                    organisation=organisation,
                    facility=school,
                    lines=lines,
                    needed_from=dt.date(2023, 10, 1),
                    needed_by=dt.date(2023, 10, 31),
                    reference=f"REQ-{i}",
                    priority="life_saving" if i == 4 else "routine",
                    justification=f"Heating, {i}00 m², boiler η 0.8" if i % 2 else "",
                    source="working_group" if i == 4 else "partner",
                    decision_reference="WG 2023-09-21 #3" if i == 4 else "",
                ),
                confirm_duplicate=True,
            )
        )
    needs.request_verify(actor=admin, request=requests[4])
    needs.request_approve(actor=admin, request=requests[4])
    return {"org": organisation, "requests": requests, "area_a": area_a, "area_b": area_b}


def export_csv(actor: Any, kind: str = "requests") -> list[dict[str, str]]:
    stream = io.BytesIO()
    ex.export_write(kind=kind, stream=stream, actor=actor, fmt="csv")
    return list(csv.DictReader(io.StringIO(stream.getvalue().decode("utf-8-sig"))))


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def edited(rows: list[dict[str, str]], reference: str, **changes: str) -> list[dict[str, str]]:
    """``rows`` with the first row of ``reference`` changed."""
    out, done = [], False
    for row in rows:
        if row["reference"] == reference and not done:
            row = {**row, **changes}
            done = True
        out.append(row)
    assert done
    return out


def quantities() -> dict[tuple[str, str], Decimal]:
    return {
        (line.request.reference, line.item.code): line.quantity
        for line in RequestLine.objects.select_related("request", "item")
    }


# ------------------------------------------------------------------ requests


def test_edited_export_updates_one_request_and_leaves_the_rest(admin, scene, tmp_path) -> None:
    rows = export_csv(admin)
    assert len(rows) == REQUESTS + 1  # REQ-0 has two lines
    path = write_csv(tmp_path / "requests.csv", edited(rows, "REQ-2", quantity="150"))
    before = quantities()
    report = ex.import_file(kind="requests", path=path, actor=admin)
    assert report.ok, [e.as_dict() for e in report.errors]
    assert (report.created, report.updated, report.unchanged, report.refused) == (
        0,
        1,
        REQUESTS - 1,
        0,
    )
    assert report.written == 1
    assert quantities() == {**before, ("REQ-2", "DSL"): Decimal(150)}
    updated = [o for o in report.outcomes if o.outcome == ex.UPDATED]
    assert [(o.key, o.changes) for o in updated] == [("REQ-2", {"quantity": ("102", "150")})]
    assert AuditEvent.objects.filter(action="request.import_update").count() == 1
    again = export_csv(admin)
    assert [r["quantity"] for r in again if r["reference"] == "REQ-2"] == ["150"]
    assert Request.objects.count() == REQUESTS


def test_the_command_reports_one_updated_and_the_rest_unchanged(admin, scene, tmp_path) -> None:
    rows = edited(export_csv(admin), "REQ-3", quantity="7")
    path = write_csv(tmp_path / "requests.csv", rows)
    out = io.StringIO()
    call_command("import", "requests", str(path), "--user", "ops", stdout=out)  # exit 0
    assert f"0 created, 1 updated, {REQUESTS - 1} unchanged; 1 written" in out.getvalue()
    assert quantities()[("REQ-3", "DSL")] == Decimal(7)
    run = ImportRun.objects.get()
    assert (run.status, run.source, run.updated, run.unchanged, run.written) == (
        "succeeded",
        "command",
        1,
        REQUESTS - 1,
        1,
    )
    # The same file again: nothing left to change, nothing written.
    out = io.StringIO()
    call_command("import", "requests", str(path), "--user", "ops", stdout=out)
    assert f"0 created, 0 updated, {REQUESTS} unchanged; 0 written" in out.getvalue()


def test_an_xlsx_round_trip_updates_the_changed_line(admin, scene, tmp_path) -> None:
    from openpyxl import Workbook, load_workbook

    stream = io.BytesIO()
    ex.export_write(kind="requests", stream=stream, actor=admin, fmt="xlsx")
    sheet = load_workbook(io.BytesIO(stream.getvalue())).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    head = values[0]
    for row in values[2:]:  # under the header and the hashtag row
        if row[head.index("reference")] == "REQ-0" and row[head.index("item")] == "FLR":
            row[head.index("quantity")] = 55
    book = Workbook(write_only=True)
    out = book.create_sheet()
    for row in values:
        out.append(row)
    path = tmp_path / "requests.xlsx"
    book.save(path)
    report = ex.import_file(kind="requests", path=path, actor=admin)
    assert report.ok, [e.as_dict() for e in report.errors]
    assert (report.updated, report.unchanged, report.written) == (1, REQUESTS - 1, 1)
    assert quantities()[("REQ-0", "FLR")] == Decimal(55)
    assert quantities()[("REQ-0", "DSL")] == Decimal(100)


def test_a_status_the_workflow_forbids_is_refused_and_nothing_is_written(
    admin, scene, tmp_path
) -> None:
    rows = edited(export_csv(admin), "REQ-1", quantity="999")
    rows = edited(rows, "REQ-4", status="delivered")
    path = write_csv(tmp_path / "requests.csv", rows)
    before = quantities()
    report = ex.import_file(kind="requests", path=path, actor=admin)
    assert not report.ok
    row = 2 + [r["reference"] for r in rows].index("REQ-4")
    assert [(e.row, e.column) for e in report.errors] == [(row, "status")]
    assert report.refused == 1
    assert quantities() == before  # all or nothing: REQ-1's valid change is not written
    assert Request.objects.get(reference="REQ-4").status == "approved"
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 errors; nothing was imported"):
        call_command("import", "requests", str(path), "--user", "ops", stdout=out)
    assert f"row {row:>7}  status" in out.getvalue()
    assert ImportRun.objects.get().status == "failed"


def test_one_workflow_step_by_import_goes_through_the_step_service(admin, scene, tmp_path) -> None:
    path = write_csv(
        tmp_path / "requests.csv", edited(export_csv(admin), "REQ-5", status="verified")
    )
    steps = AuditEvent.objects.filter(action="request.verify").count()
    report = ex.import_file(kind="requests", path=path, actor=admin)
    assert report.ok and report.updated == 1
    assert Request.objects.get(reference="REQ-5").status == "verified"
    assert AuditEvent.objects.filter(action="request.verify").count() == steps + 1
    # A step that needs a reason (reject) cannot be taken by a file row.
    path = write_csv(tmp_path / "again.csv", edited(export_csv(admin), "REQ-5", status="rejected"))
    report = ex.import_file(kind="requests", path=path, actor=admin)
    assert [e.column for e in report.errors] == ["status"]


def test_create_only_refuses_existing_references(admin, scene, tmp_path) -> None:
    rows = export_csv(admin)
    path = write_csv(tmp_path / "requests.csv", rows)
    report = ex.import_file(kind="requests", path=path, actor=admin, mode=ex.MODE_CREATE)
    assert not report.ok
    assert {e.column for e in report.errors} == {"reference"}
    assert len(report.errors) == len(rows)
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import", "requests", str(path), "--create-only", "--user", "ops", stdout=out)
    assert "new records only" in out.getvalue()
    assert ImportRun.objects.get().mode == "create"


def test_a_one_request_file_counts_one_created(admin, scene, tmp_path) -> None:
    path = tmp_path / "one.csv"
    path.write_text(
        "reference,requester_kind,facility,organisation,needed_from,needed_by,item,quantity\n"
        "NEW-1,facility,SCH-1,ARCS,2023-11-01,2023-11-30,DSL,10\n"
        "NEW-1,facility,SCH-1,ARCS,2023-11-01,2023-11-30,FLR,20\n",
        encoding="utf-8",
    )
    report = ex.import_file(kind="requests", path=path, actor=admin)
    assert (report.rows, report.created, report.updated, report.unchanged, report.written) == (
        2,
        1,
        0,
        0,
        1,
    )
    assert Request.objects.get(reference="NEW-1").lines.count() == 2
    out = io.StringIO()
    path.write_text(path.read_text().replace("NEW-1", "NEW-2"), encoding="utf-8")
    call_command("import", "requests", str(path), "--user", "ops", stdout=out)
    assert "1 created, 0 updated, 0 unchanged; 1 written" in out.getvalue()


def test_a_dry_run_shows_each_rows_change_and_writes_nothing(admin, scene, tmp_path) -> None:
    rows = edited(export_csv(admin), "REQ-2", quantity="150", priority="urgent")
    rows.append({**rows[-1], "reference": "NEW-9"})
    path = write_csv(tmp_path / "requests.csv", rows)
    before = quantities()
    report = ex.import_file(kind="requests", path=path, actor=admin, dry_run=True)
    assert report.ok and report.written == 0
    assert (report.created, report.updated, report.unchanged) == (1, 1, REQUESTS - 1)
    by_key = {o.key: o for o in report.outcomes}
    assert by_key["REQ-2"].changes == {
        "priority": ("routine", "urgent"),
        "quantity": ("102", "150"),
    }
    assert by_key["NEW-9"].outcome == ex.CREATED
    assert quantities() == before and not Request.objects.filter(reference="NEW-9").exists()
    out = io.StringIO()
    call_command("import", "requests", str(path), "--dry-run", "--user", "ops", stdout=out)
    text = out.getvalue()
    assert "updated    REQ-2" in text and "quantity: 102 -> 150" in text
    assert "would be 1 created, 1 updated" in text


def test_an_update_outside_the_actors_areas_is_refused(admin, scene, tmp_path) -> None:
    coordinator = make_user(Role.COORDINATOR, areas=[scene["area_a"]], organisation=scene["org"])
    rows = export_csv(admin)
    before = quantities()
    outside = write_csv(tmp_path / "outside.csv", edited(rows, "REQ-5", quantity="1"))
    report = ex.import_file(kind="requests", path=outside, actor=coordinator)
    assert not report.ok and [e.column for e in report.errors] == ["organisation"]
    # Moving a request of area A to a facility of area B is refused too.
    moved = write_csv(tmp_path / "moved.csv", edited(rows, "REQ-1", facility="SCH-5"))
    report = ex.import_file(kind="requests", path=moved, actor=coordinator)
    assert not report.ok
    assert quantities() == before
    assert Request.objects.get(reference="REQ-1").facility.code == "SCH-1"
    inside = write_csv(tmp_path / "inside.csv", edited(rows, "REQ-1", quantity="1"))
    report = ex.import_file(kind="requests", path=inside, actor=coordinator)
    assert report.ok and report.updated == 1


# ------------------------------------------------------------------ stock counts


def test_a_stock_file_with_one_changed_count_writes_one_ledger_line(admin, tmp_path) -> None:
    diesel, flour = ItemFactory(code="DSL", unit="litre"), ItemFactory(code="FLR")
    warehouses = [WarehouseFactory() for _ in range(3)]
    for warehouse in warehouses:
        for item in (diesel, flour):
            for lot in ("L1", "L2"):
                stock.stock_receive(
                    actor=admin,
                    warehouse=warehouse,
                    item=item,
                    quantity=Decimal(50),
                    lot_code=lot,
                )
    rows = export_csv(admin, "stock")
    assert len(rows) == 12
    rows[4] = {**rows[4], "quantity": "47"}
    path = write_csv(tmp_path / "stock.csv", rows)
    lines = StockTransaction.objects.count()
    report = ex.import_file(kind="stock", path=path, actor=admin)
    assert report.ok, [e.as_dict() for e in report.errors]
    assert (report.updated, report.unchanged, report.written) == (1, 11, 1)
    assert StockTransaction.objects.count() == lines + 1
    assert [o.changes for o in report.outcomes if o.outcome == ex.UPDATED] == [
        {"quantity": ("50", "47")}
    ]
