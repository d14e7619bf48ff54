"""A field worker sees only the people of their team's areas: pages, API and exports;
exports hold pseudonymous references, never a name."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from reliefops.core import exchange as ex
from reliefops.teams import services
from tests.teams.scene import build_scene


def _world():
    scene = build_scene()
    rounds = {}
    for k in ("A", "B"):
        rnd = services.round_create(
            actor=scene.admin,
            team=scene.teams[k],
            date=timezone.localdate(),
            stops=[services.StopInput(p) for p in scene.people[k]],
        )
        services.round_transition(actor=scene.admin, round=rnd, step="plan")
        services.visit_record(
            actor=scene.admin,
            person=scene.people[k][0],
            team=scene.teams[k],
            stop=rnd.stops.get(sequence=1),
            services=["consultation"],
        )
        rounds[k] = rnd
    return scene, rounds


def _export(kind: str, actor) -> str:
    stream = io.BytesIO()
    ex.export_write(kind=kind, stream=stream, actor=actor, fmt="csv")
    return stream.getvalue().decode("utf-8-sig")


@pytest.mark.django_db
def test_pages_show_a_field_worker_only_their_areas() -> None:
    scene, rounds = _world()
    client = Client()
    client.force_login(scene.field["A"])
    own = [p.reference for p in scene.people["A"]]
    other = [p.reference for p in scene.people["B"]]
    for url in (
        "/teams/due/",
        "/teams/visits/",
        "/teams/rounds/",
        f"/teams/rounds/{rounds['A'].reference}/",
    ):
        body = client.get(url).content.decode()
        assert not any(ref in body for ref in other), url
        assert "Test Person" not in body, url
    assert own[1] in client.get("/teams/due/").content.decode()
    assert own[0] in client.get("/teams/visits/").content.decode()
    assert client.get(f"/teams/rounds/{rounds['B'].reference}/").status_code == 404
    assert client.get(f"/teams/{scene.teams['B'].code}/").status_code == 404
    assert client.get(f"/teams/{scene.teams['A'].code}/").status_code == 200
    assert rounds["B"].reference not in client.get("/teams/rounds/").content.decode()


@pytest.mark.django_db
def test_the_api_shows_a_field_worker_only_their_areas() -> None:
    scene, rounds = _world()
    api = APIClient()
    api.force_authenticate(scene.field["A"])
    other = {p.reference for p in scene.people["B"]}
    visits = api.get("/api/v1/visits/").json()["results"]
    assert visits and not {v["person"] for v in visits} & other
    listed = {r["reference"] for r in api.get("/api/v1/rounds/").json()["results"]}
    assert listed == {rounds["A"].reference}
    assert api.get(f"/api/v1/rounds/{rounds['B'].reference}/").status_code == 404
    due = api.get("/api/v1/due/").json()
    assert due and not {d["person"] for d in due} & other
    assert {t["code"] for t in api.get("/api/v1/teams/").json()["results"]} == {"MMT-A"}
    refused = api.post(
        "/api/v1/visits/",
        {"person": scene.people["B"][1].reference, "team": "MMT-B"},
        format="json",
    )
    assert refused.status_code == 404
    recorded = api.post(
        "/api/v1/visits/",
        {
            "person": scene.people["A"][1].reference,
            "team": "MMT-A",
            "client_id": "6f1c4a52-0000-4000-8000-000000000001",
        },
        format="json",
    )
    assert recorded.status_code == 201, recorded.content
    again = api.post(
        "/api/v1/visits/",
        {
            "person": scene.people["A"][1].reference,
            "team": "MMT-A",
            "client_id": "6f1c4a52-0000-4000-8000-000000000001",
        },
        format="json",
    )
    assert again.json()["id"] == recorded.json()["id"]


@pytest.mark.django_db
def test_exports_are_scoped_and_hold_no_identity_fields() -> None:
    scene, _rounds = _world()
    names = [p.full_name for k in ("A", "B") for p in scene.people[k]]
    assert all(n.startswith("Test Person") for n in names)
    for kind in ("teams", "rounds", "visits"):
        whole = _export(kind, scene.admin)
        assert not any(n in whole for n in names), kind
        mine = _export(kind, scene.field["A"])
        assert not any(p.reference in mine for p in scene.people["B"]), kind
        assert "MMT-B" not in mine, kind
    rows = _export("rounds", scene.admin).splitlines()
    assert rows[0].startswith("round,date,status,team,sequence,place,person")
    assert any(scene.people["A"][1].reference in r and "TV-A" in r for r in rows)
    visits = _export("visits", scene.field["A"])
    assert scene.people["A"][0].reference in visits
