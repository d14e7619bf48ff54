"""Passages and deliveries one record at a time (``record_apply``) and through the
submissions service: the JSON a driver's phone sends, replays, a convoy not departed yet
(the record waits), and a delivery reaching the server before its convoy's passage."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from reliefops.core import exchange as ex
from reliefops.intake.submissions import submission_receive, submissions_retry
from reliefops.logistics import services
from reliefops.logistics.models import ConsignmentLine, Delivery, Passage
from reliefops.logistics.selectors import convoy_reconcile
from tests.logistics import scene as world

pytestmark = pytest.mark.django_db


def ago(hours: float) -> str:
    moment = timezone.now() - dt.timedelta(hours=hours)
    return timezone.localtime(moment).replace(microsecond=0).isoformat()


def send(scene: world.Scene, kind: str, data: dict[str, Any], uid: str | None = None) -> Any:
    return submission_receive(
        actor=scene.officer, client_id=uid or str(uuid.uuid4()), kind=kind, data=data
    )


def test_a_delivery_then_its_passage_as_submissions_replayed_without_effect() -> None:
    scene = world.build()
    convoy = world.plan(scene)
    services.convoy_load(actor=scene.officer, convoy=convoy)
    services.convoy_depart(actor=scene.officer, convoy=convoy)
    kg = convoy.stops.get(facility=scene.kindergarten).sequence
    truck = convoy.vehicles.get(vehicle=scene.truck).tracking_number
    delivery = {
        "convoy": convoy.code,
        "stop": kg,
        "receiver_name": "Head teacher",
        "receiver_role": "Director",
        "received_at": ago(2),
        "note": "",
        "receipts": ["DSL=1000", "BRD=290:10:missing"],
    }
    passage = {
        "convoy": convoy.code,
        "tracking_number": truck,
        "crossing_point": "F-CP",
        "direction": "inbound",
        "time_in": ago(5),
        "time_out": ago(4),
        "outcome": "partial",
        "delay_minutes": 45,
        "inspected": True,
        "held_items": ["BRD=40"],
        "notes": "School bread held",
    }
    ids = {"delivery": str(uuid.uuid4()), "passage": str(uuid.uuid4())}
    first = send(scene, "deliveries", delivery, ids["delivery"])
    assert first.status_code == 201, first.body
    assert first.body["record"] == f"{convoy.code} / {kg}"
    late = send(scene, "passages", passage, ids["passage"])
    assert late.status_code == 201, late.body
    convoy.refresh_from_db()
    assert convoy.status == "arrived"
    school_bread = ConsignmentLine.objects.get(carrier__convoy=convoy, stop__facility=scene.school)
    assert school_bread.returned == Decimal("40")
    kg_bread = ConsignmentLine.objects.get(
        carrier__convoy=convoy, stop__sequence=kg, item=scene.bread
    )
    assert (kg_bread.delivered, kg_bread.short, kg_bread.short_reason) == (
        Decimal("290"),
        Decimal("10"),
        "missing",
    )
    # Replays: the same ids answer from the store; the same records under new ids (a
    # phone that lost its queue) are unchanged.
    assert send(scene, "deliveries", delivery, ids["delivery"]).status_code == 200
    assert send(scene, "passages", passage, ids["passage"]).status_code == 200
    again = ex.record_apply("passages", actor=scene.officer, data=passage)
    assert again.outcome == "unchanged"
    assert ex.record_apply("deliveries", actor=scene.officer, data=delivery).outcome == "unchanged"
    assert (Passage.objects.count(), Delivery.objects.count()) == (1, 1)
    assert all(row.balanced for row in convoy_reconcile(convoy))


def test_a_passage_of_a_convoy_not_departed_waits_for_the_departure() -> None:
    scene = world.build()
    convoy = world.plan(scene)
    passage = {
        "convoy": convoy.code,
        "crossing_point": "F-CP",
        "time_in": ago(1),
        "outcome": "passed",
    }
    with pytest.raises(ex.RecordPending):
        ex.record_apply("passages", actor=scene.officer, data=passage)
    waiting = send(scene, "passages", passage)
    assert waiting.status_code == 202 and waiting.body["field"] == "convoy"
    services.convoy_load(actor=scene.officer, convoy=convoy)
    services.convoy_depart(actor=scene.officer, convoy=convoy)
    report = submissions_retry()
    assert report.applied == 1
    assert Passage.objects.get().convoy == convoy


def test_a_changed_record_under_the_same_key_is_refused() -> None:
    scene = world.build()
    convoy = world.plan(scene)
    services.convoy_load(actor=scene.officer, convoy=convoy)
    services.convoy_depart(actor=scene.officer, convoy=convoy)
    passage = {
        "convoy": convoy.code,
        "crossing_point": "F-CP",
        "time_in": ago(1),
        "outcome": "passed",
    }
    assert ex.record_apply("passages", actor=scene.officer, data=passage).outcome == "created"
    with pytest.raises(ex.RecordInvalid) as refused:
        ex.record_apply("passages", actor=scene.officer, data={**passage, "delay_minutes": 30})
    assert refused.value.details["field"] == "delay_minutes"
    assert Passage.objects.count() == 1
