"""The convoy pages through the test client: plan from requests, the workflow steps from
the convoy page, a passage and a delivery from the road page, refused steps shown next to
their fields (never a 500), what a requesting organisation sees, the request's panel."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from reliefops.logistics.models import ConsignmentLine, Convoy
from tests.logistics import scene as world

pytestmark = pytest.mark.django_db


def _client(user: object) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)  # type: ignore[arg-type]
    return client


def _plan(client: Client, scene: world.Scene, **extra: object) -> object:
    data = {
        "origin": scene.origin.pk,
        "departure_date": world.DAY.isoformat(),
        "organisation": scene.mes.pk,
        "vehicles": [scene.tanker.pk, scene.truck.pk],
        "requests": [r.pk for r in scene.requests],
        "escort": "Police escort",
        "leader": "Leader One",
        **extra,
    }
    return client.post("/logistics/convoys/new/", data)


def test_plan_page_plans_and_refusals_land_next_to_fields() -> None:
    scene = world.build()
    client = _client(scene.officer)
    page = client.get("/logistics/convoys/new/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "RQ-KG-1" in body and "10-MES-01" in body
    # No vehicle: the form's own error next to the field; nothing planned.
    refused = _plan(client, scene, vehicles=[])
    assert refused.status_code == 400
    assert 'id="id_vehicles_error"' in refused.content.decode()
    # Only the tanker: no vehicle may carry bread: the service's message next to vehicles.
    refused = _plan(client, scene, vehicles=[scene.tanker.pk])
    assert refused.status_code == 400
    text = refused.content.decode()
    assert 'id="id_vehicles_error"' in text and "BRD" in text
    assert not Convoy.objects.exists()
    done = _plan(client, scene)
    convoy = Convoy.objects.get()
    assert done.status_code == 302 and done["Location"] == f"/logistics/convoys/{convoy.code}/"
    assert convoy.leader == "Leader One"
    listing = client.get("/logistics/convoys/?status=planned&status=loading")
    assert listing.status_code == 200 and convoy.code in listing.content.decode()
    assert convoy.code not in client.get("/logistics/convoys/?status=completed").content.decode()


def test_convoy_page_steps_road_page_and_reconcile() -> None:
    scene = world.build()
    convoy = world.plan(scene)
    client = _client(scene.officer)
    url = f"/logistics/convoys/{convoy.code}/"
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert 'data-step="load"' in body and 'data-step="abort"' in body
    assert "F-CP" not in body or "Liaison" in body  # crossing point with who to notify
    assert "Liaison" in body
    # Depart is not open yet: refused with its reason, atop the page, not a 500.
    refused = client.post(f"{url}steps/depart/", {"confirm": "on"})
    assert refused.status_code == 409
    assert client.post(f"{url}steps/load/").status_code == 302
    # Depart without the confirmation: the box's message next to it.
    refused = client.post(f"{url}steps/depart/")
    assert refused.status_code == 400
    assert "Tick the box to confirm." in refused.content.decode()
    assert client.post(f"{url}steps/depart/", {"confirm": "on"}).status_code == 302
    convoy.refresh_from_db()
    assert convoy.status == "departed"

    road = client.get(f"{url}road/")
    assert road.status_code == 200
    assert 'id="passage-form"' in road.content.decode()
    school_bread = ConsignmentLine.objects.get(carrier__convoy=convoy, stop__facility=scene.school)
    passage = {
        "passage-crossing_point": scene.crossing.pk,
        "passage-outcome": "partial",
        "passage-direction": "inbound",
        "passage-time_in": f"{world.DAY.isoformat()}T09:00",
        "passage-time_out": f"{world.DAY.isoformat()}T08:00",
        f"passage-held_{school_bread.pk}": "50",
    }
    # Time out before time in: the service's message next to the field.
    refused = client.post(f"{url}steps/passage/", passage)
    assert refused.status_code == 400
    assert 'id="id_passage-time_out_error"' in refused.content.decode()
    passage["passage-time_out"] = f"{world.DAY.isoformat()}T10:00"
    assert client.post(f"{url}steps/passage/", passage)["Location"] == f"{url}road/"
    school_bread.refresh_from_db()
    assert school_bread.returned == Decimal("50")

    kg_stop = convoy.stops.get(facility=scene.kindergarten)
    lines = list(ConsignmentLine.objects.filter(stop=kg_stop).select_related("item"))
    prefix = f"stop{kg_stop.sequence}"
    delivery = {
        "stop": str(kg_stop.sequence),
        f"{prefix}-receiver_name": "Head teacher",
        f"{prefix}-received_at": f"{world.DAY.isoformat()}T14:00",
    }
    for line in lines:
        key = f"{prefix}-line_{line.pk}"
        delivery[f"{key}_delivered"] = str(line.on_board)
        if line.item_id == scene.bread.pk:
            delivery[f"{key}_delivered"] = "280"
            delivery[f"{key}_damaged"] = "20"
    # Damaged without a reason: the message next to that line's reason.
    refused = client.post(f"{url}steps/deliver/", delivery)
    assert refused.status_code == 400
    bread = next(ln for ln in lines if ln.item_id == scene.bread.pk)
    assert f'id="id_{prefix}-line_{bread.pk}_damage_reason_error"' in refused.content.decode()
    delivery[f"{prefix}-line_{bread.pk}_damage_reason"] = "damaged_in_transit"
    assert client.post(f"{url}steps/deliver/", delivery).status_code == 302
    bread.refresh_from_db()
    assert bread.damaged == Decimal("20") and bread.delivered == Decimal("280")

    page = client.get(url).content.decode()
    assert 'data-balanced="yes"' in page and 'data-balanced="no"' not in page
    assert "Head teacher" in page

    # The request page shows where its goods are.
    request = scene.requests[0]
    panel = client.get(f"/needs/requests/{request.pk}/").content.decode()
    assert 'id="request-tracking"' in panel and convoy.code in panel


def test_requester_sees_only_its_lines_and_no_driver() -> None:
    scene = world.build()
    convoy = world.plan(scene)
    client = _client(scene.partner)
    page = client.get(f"/logistics/convoys/{convoy.code}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "RQ-KG-1" in body and "RQ-SC-1" not in body
    assert "Driver One" not in body and 'id="reconcile"' not in body
    assert "Waybill" not in body
    # Not its convoy to move: refused, never a 500.
    assert client.post(f"/logistics/convoys/{convoy.code}/steps/load/").status_code in (403, 404)
    assert client.get("/logistics/convoys/NOPE/").status_code == 404
