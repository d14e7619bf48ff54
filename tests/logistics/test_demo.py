"""The demo scenario's convoys: loaded through the services, balanced, on the right roads."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from reliefops.core.demo import SCENARIO_DAY, scenario_date
from reliefops.core.models import AuditEvent
from reliefops.logistics import demo as logistics_demo
from reliefops.logistics.fields import PATH_SEPARATOR
from reliefops.logistics.models import ConsignmentLine, Convoy, Delivery, Vehicle
from reliefops.logistics.selectors import convoy_reconcile, convoy_route
from reliefops.needs import demo as needs_demo
from reliefops.needs.models import Request
from reliefops.places.models import Facility
from reliefops.stock.models import StockTransaction
from reliefops.stock.selectors import stock_reconcile

pytestmark = pytest.mark.django_db(transaction=True)


def test_demo_convoys(tmp_path: Path) -> None:
    out = io.StringIO()
    call_command("demo", no_serve=True, stdout=out)
    mes = Convoy.objects.get(notes=logistics_demo.CONVOY_1)
    rcs = Convoy.objects.get(notes=logistics_demo.CONVOY_2)
    assert f"{mes.code} F-BAR-WH" in out.getvalue()
    assert f"{rcs.code} F-GOR-WH" in out.getvalue()

    # The fleets and the crossing point's notice.
    fleet = {(v.organisation.acronym, v.kind) for v in Vehicle.objects.all()}
    assert ("MES", "fuel_tanker") in fleet and ("RCS", "refrigerated_truck") in fleet
    assert Vehicle.objects.filter(organisation__acronym="MES").count() == 6
    assert Vehicle.objects.filter(base__code="F-GOR-WH").count() == 3
    # ... created through the vehicle services, by each organisation's officer.
    # (the teams demo adds the mobile teams' own vehicles, made by the administrator)
    created = AuditEvent.objects.filter(action="vehicle.create").exclude(actor__username="admin")
    assert created.count() == 9
    assert set(created.values_list("actor__username", flat=True)) == {"logistics", "logistics-rc"}
    crossing = Facility.objects.get(code="F-LAC-CP")
    assert crossing.notice_hours == 24 and crossing.notice_to

    # Convoy 1: yesterday, Barda → Aghdam → Asgaran → Khankendi, completed.
    assert mes.status == "completed" and mes.organisation.acronym == "MES"
    assert mes.departure_date == scenario_date(SCENARIO_DAY) - dt.timedelta(days=1)
    roads = convoy_route(mes).road_names
    assert roads == ["Yevlakh–Barda–Aghdam road", "Aghdam–Asgaran–Khankendi road"]
    assert convoy_route(mes).crossing_points == []
    assert {s.facility.code for s in mes.stops.all()} == {"F-XA-SCH2", "F-XA-KG1"}
    carried = set(
        ConsignmentLine.objects.filter(carrier__convoy=mes).values_list("item__code", flat=True)
    )
    assert carried == {"DSL", "HOIL", "BRD"}
    assert all(line.request_line_id for line in ConsignmentLine.objects.filter(carrier__convoy=mes))
    # One delivery short and damaged, with reasons; the other received in full.
    lossy = Delivery.objects.get(stop__convoy=mes, stop__facility__code="F-XA-KG1")
    lines = ConsignmentLine.objects.filter(stop=lossy.stop)
    assert {(ln.item.code, ln.short, ln.short_reason) for ln in lines if ln.short} == {
        ("DSL", Decimal("40"), "leaked")
    }
    assert {(ln.item.code, ln.damaged, ln.damage_reason) for ln in lines if ln.damaged} == {
        ("BRD", Decimal("8"), "damaged_in_transit")
    }
    # The school's tank took 4,000 litres of heating oil; the rest came back to Barda.
    school = {
        ln.item.code: ln
        for ln in ConsignmentLine.objects.filter(
            stop__convoy=mes, stop__facility__code="F-XA-SCH2"
        ).select_related("item")
    }
    assert school["BRD"].delivered == school["BRD"].quantity
    oil = school["HOIL"]
    assert oil.delivered == Decimal("4000") and oil.returned == oil.quantity - 4000
    assert not oil.short and not oil.damaged
    assert oil.request_line.request.status == "partially_delivered"

    # Convoy 2: today, Goris → Lachin crossing point → Khankendi, past the crossing point.
    assert rcs.status == "at_crossing" and rcs.organisation.acronym == "RCS"
    assert rcs.departure_date == scenario_date(SCENARIO_DAY)
    route = convoy_route(rcs)
    assert route.road_names == ["Lachin–Goris road", "Lachin–Khankendi road"]
    assert [c.facility.code for c in route.crossing_points] == ["F-LAC-CP"]
    (passage,) = rcs.passages.all()
    assert passage.crossing_point.code == "F-LAC-CP"
    assert (passage.direction, passage.outcome, passage.inspected, passage.delay_minutes) == (
        "inbound",
        "passed",
        True,
        40,
    )
    medicines = ConsignmentLine.objects.filter(carrier__convoy=rcs)
    assert {ln.item.code for ln in medicines} == {"MEDKIT"}
    assert {ln.stop.facility.code for ln in medicines} == {"F-XA-HOSP", "F-XA-POL"}

    # Both convoys balance against the ledger; so does the stock snapshot.
    for convoy in (mes, rcs):
        rows = convoy_reconcile(convoy)
        assert rows and all(r.balanced for r in rows), rows
    assert {r.item.code: r.on_board for r in convoy_reconcile(rcs)} == {"MEDKIT": Decimal("12")}
    assert stock_reconcile() == []
    report = io.StringIO()
    call_command("convoy_reconcile", mes.code, rcs.code, stdout=report)
    assert report.getvalue().splitlines()[-1] == "2 convoys: every item accounted for"

    # The convoys export (CSV, as the coordinator) names both routes and the crossing.
    target = tmp_path / "convoys.csv"
    call_command(
        "export",
        "convoys",
        "--format",
        "csv",
        "--output",
        str(target),
        "--user",
        "coordinator",
        stderr=io.StringIO(),
    )
    exported = {
        row["code"]: row
        for row in csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig")))
    }
    assert exported[mes.code]["route"] == PATH_SEPARATOR.join(
        ["Yevlakh–Barda–Aghdam road", "Aghdam–Asgaran–Khankendi road"]
    )
    assert exported[mes.code]["status"] == "completed"
    assert exported[rcs.code]["route"] == PATH_SEPARATOR.join(
        ["Lachin–Goris road", "Lachin–Khankendi road"]
    )
    assert exported[rcs.code]["crossing_points"] == "F-LAC-CP"
    assert exported[rcs.code]["origin"] == "F-GOR-WH"
    assert exported[rcs.code]["organisation"] == "RCS"

    # Loading again does nothing (the needs demo makes no new request for what the
    # convoy delivered: every request it carried is still open or by reference).
    def counts() -> tuple[int, ...]:
        return (
            Convoy.objects.count(),
            ConsignmentLine.objects.count(),
            Vehicle.objects.count(),
            Request.objects.count(),
            StockTransaction.objects.count(),
        )

    before = counts()
    needs_demo.load(stdout=io.StringIO())
    logistics_demo.load(stdout=io.StringIO())
    assert counts() == before
