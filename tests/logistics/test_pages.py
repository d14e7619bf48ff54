"""The convoy pages through the test client: plan from requests, the workflow steps from
the convoy page, a passage and a delivery from the road page, refused steps shown next to
their fields (never a 500), what a requesting organisation sees, the request's panel."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

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
    # What a crossing point held of the other organisation's cargo is not shown to it.
    from reliefops.logistics import services

    services.convoy_load(actor=scene.officer, convoy=convoy)
    services.convoy_depart(actor=scene.officer, convoy=convoy)
    school_bread = ConsignmentLine.objects.get(carrier__convoy=convoy, stop__facility=scene.school)
    services.passage_record(
        actor=scene.officer,
        convoy=convoy,
        data=services.PassageInput(
            crossing_point=scene.crossing,
            outcome="partial",
            time_in=timezone.now(),
            held={school_bread.pk: Decimal("37")},
        ),
    )
    body = client.get(f"/logistics/convoys/{convoy.code}/").content.decode()
    passages = body[body.index('id="passages"') : body.index('id="deliveries"')]
    assert "Partially passed" in passages and "37" not in passages
    officer = _client(scene.officer).get(f"/logistics/convoys/{convoy.code}/").content.decode()
    assert "37" in officer[officer.index('id="passages"') : officer.index('id="deliveries"')]
    assert client.get("/logistics/convoys/NOPE/").status_code == 404


def test_closed_road_and_crossing_point_are_flagged_on_list_and_page() -> None:
    scene = world.build()
    convoy = world.plan(scene)
    client = _client(scene.officer)
    listing = client.get("/logistics/convoys/").content.decode()
    assert "data-warning" not in listing
    scene.crossing.status = "closed"
    scene.crossing.save(update_fields=["status"])
    listing = client.get("/logistics/convoys/").content.decode()
    assert "data-warning" in listing
    page = client.get(f"/logistics/convoys/{convoy.code}/").content.decode()
    assert 'id="route-warnings"' in page and "is closed" in page
    scene.crossing.status = "operating"
    scene.crossing.save(update_fields=["status"])
    scene.segments[1].status = "closed"
    scene.segments[1].save(update_fields=["status"])
    assert "data-warning" in client.get("/logistics/convoys/?q=10-MES-02").content.decode()
    assert convoy.code not in client.get("/logistics/convoys/?q=NO-SUCH").content.decode()
    # The search finds a convoy by a stop's facility code.
    assert convoy.code in client.get("/logistics/convoys/?q=F-KG").content.decode()


def test_delivery_photo_is_checked_and_served_to_the_whole_view_only(
    settings: object, tmp_path: object
) -> None:
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from reliefops.logistics import services

    settings.MEDIA_ROOT = str(tmp_path)  # type: ignore[attr-defined]
    scene = world.build()
    convoy = world.plan(scene)
    services.convoy_load(actor=scene.officer, convoy=convoy)
    services.convoy_depart(actor=scene.officer, convoy=convoy)
    client = _client(scene.officer)
    url = f"/logistics/convoys/{convoy.code}/"
    stop = convoy.stops.get(facility=scene.school)
    prefix = f"stop{stop.sequence}"
    data = {
        "stop": str(stop.sequence),
        f"{prefix}-receiver_name": "Caretaker",
        f"{prefix}-received_at": f"{world.DAY.isoformat()}T15:00",
    }
    for line in ConsignmentLine.objects.filter(stop=stop):
        data[f"{prefix}-line_{line.pk}_delivered"] = str(line.on_board)
    fake = SimpleUploadedFile("note.jpg", b"not an image", content_type="image/jpeg")
    refused = client.post(f"{url}steps/deliver/", {**data, f"{prefix}-photo": fake})
    assert refused.status_code == 400
    assert f'id="id_{prefix}-photo_error"' in refused.content.decode()
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, format="PNG")
    photo = SimpleUploadedFile("note.png", buffer.getvalue(), content_type="image/png")
    done = client.post(f"{url}steps/deliver/", {**data, f"{prefix}-photo": photo})
    assert done.status_code == 302 and done["Location"] == f"{url}road/"
    page = client.get(url).content.decode()
    photo_url = f"{url}stops/{stop.sequence}/photo/"
    assert photo_url in page
    served = client.get(photo_url)
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert b"".join(served.streaming_content).startswith(b"\x89PNG")  # type: ignore[attr-defined]
    # The requesting organisation of the other stop sees neither the link nor the photo.
    other = _client(scene.stranger)
    assert photo_url not in other.get(url).content.decode()
    assert other.get(photo_url).status_code == 404


def test_road_buttons_depart_and_arrive_from_the_phone_page() -> None:
    from reliefops.logistics import services

    scene = world.build()
    convoy = world.plan(scene)
    services.convoy_load(actor=scene.officer, convoy=convoy)
    client = _client(scene.officer)
    url = f"/logistics/convoys/{convoy.code}/"
    road = client.get(f"{url}road/").content.decode()
    assert 'data-step="depart"' in road and 'id="passage-form"' not in road
    # Without the confirmation: the road page again, the message next to the box.
    refused = client.post(f"{url}steps/depart/", {"from": "road"})
    assert refused.status_code == 400
    text = refused.content.decode()
    assert 'id="road-depart"' in text and "Tick the box to confirm." in text
    done = client.post(f"{url}steps/depart/", {"from": "road", "confirm": "on"})
    assert done.status_code == 302 and done["Location"] == f"{url}road/"
    road = client.get(f"{url}road/").content.decode()
    assert 'data-step="arrive"' in road and 'id="passage-form"' in road
    assert client.post(f"{url}steps/arrive/", {"from": "road"})["Location"] == f"{url}road/"
    convoy.refresh_from_db()
    assert convoy.status == "arrived"
    # A step the convoy is past: refused with its reason atop the road page (409).
    again = client.post(f"{url}steps/depart/", {"from": "road", "confirm": "on"})
    assert again.status_code == 409
    # A stop that does not exist: 404, not a 500.
    assert client.post(f"{url}steps/deliver/", {"stop": "x"}).status_code == 404


def test_convoy_list_queries_do_not_grow_with_its_rows() -> None:
    """The list page costs the same queries for one convoy as for five, each with stops,
    vehicles and a passage (prefetched and annotated, nothing per row)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.logistics.factories import (
        ConvoyFactory,
        ConvoyStopFactory,
        ConvoyVehicleFactory,
        PassageFactory,
    )

    scene = world.build()
    client = _client(scene.officer)

    def add_convoy() -> None:
        convoy = ConvoyFactory(origin=scene.origin, organisation=scene.mes)
        ConvoyStopFactory(convoy=convoy, facility=scene.kindergarten)
        ConvoyStopFactory(convoy=convoy, facility=scene.school)
        ConvoyVehicleFactory(convoy=convoy, vehicle=scene.truck)
        PassageFactory(convoy=convoy, crossing_point=scene.crossing)

    def listing() -> int:
        client.get("/logistics/convoys/")  # the session and caches warm
        with CaptureQueriesContext(connection) as queries:
            page = client.get("/logistics/convoys/")
        assert page.status_code == 200
        return len(queries)

    add_convoy()
    one = listing()
    for _ in range(4):
        add_convoy()
    assert listing() == one
    assert Convoy.objects.count() == 5
