"""The day-plan pages through the test client: the list (scoped by area), the run page
while it runs (progress polled, cancel offered) and as a draft (figures, map data,
manifest, timeline, unmet and unmade with reasons, edit controls, commit and discard)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from reliefops.dayplans.choices import PlanStatus
from tests.accounts.factories import make_user
from tests.dayplans.plans import plan_run
from tests.places.factories import AdminAreaFactory

pytestmark = pytest.mark.django_db


def _client(user: object) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_list_shows_runs_in_the_users_areas_only() -> None:
    north, south = AdminAreaFactory(code="XX-N"), AdminAreaFactory(code="XX-S")
    mine = plan_run(area=north)
    other = plan_run(area=south)
    national = plan_run(area=None)
    client = _client(make_user("coordinator", areas=[north]))
    response = client.get("/dayplans/")
    assert response.status_code == 200
    body = response.content.decode()
    assert mine.reference in body
    assert other.reference not in body
    assert national.reference not in body
    assert client.get(f"/dayplans/{other.reference}/").status_code == 404
    boss = _client(make_user("coordinator"))
    body = boss.get("/dayplans/?status=draft").content.decode()
    assert national.reference in body and other.reference in body


def test_list_filters_by_status_and_is_refused_to_a_viewer() -> None:
    area = AdminAreaFactory(code="XX-F")
    draft = plan_run(area=area)
    running = plan_run(area=area, status=PlanStatus.RUNNING)
    client = _client(make_user("coordinator", areas=[area]))
    body = client.get("/dayplans/?status=running").content.decode()
    assert running.reference in body and draft.reference not in body
    assert client.get("/dayplans/?status=nonsense").status_code == 400
    assert _client(make_user("viewer", areas=[area])).get("/dayplans/").status_code == 403


def test_running_page_polls_progress_and_offers_cancel() -> None:
    run = plan_run(status=PlanStatus.RUNNING)
    client = _client(make_user("coordinator"))
    body = client.get(f"/dayplans/{run.reference}/").content.decode()
    assert f'hx-get="/dayplans/{run.reference}/progress/"' in body
    assert 'value="40"' in body
    assert "1 of 4 sub-problems solved" in body
    assert 'data-step="cancel"' in body
    assert 'data-step="commit"' not in body
    fragment = client.get(f"/dayplans/{run.reference}/progress/", HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200 and "HX-Refresh" not in fragment
    run.status, run.progress = PlanStatus.DRAFT, 1.0
    run.save()
    done = client.get(f"/dayplans/{run.reference}/progress/", HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true"


def test_draft_page_shows_the_review() -> None:
    run = plan_run()
    client = _client(make_user("coordinator"))
    response = client.get(f"/dayplans/{run.reference}/")
    assert response.status_code == 200
    body = response.content.decode()
    for text in (
        "81.5 %",
        "100.0 %",
        "1 / 2",
        "Asgaran clinic",
        "L-WAT-1",
        "REQ-2",
        "Mobile medical team 1",
        "No stock",
        "no diesel in any warehouse",
        "No team with the skill or language",
        'data-step="commit"',
        'data-step="discard"',
        'data-edit="move"',
        'data-edit="drop"',
        'name="to_vehicle"',
        "gantt-bar",
    ):
        assert text in body, text
    marker = 'id="plan-map-data" type="application/json">'
    start = body.index(marker) + len(marker)
    data = json.loads(body[start : body.index("</script>", start)])
    assert [f["id"] for f in data["features"]] == ["10-AA-001", "MMT-1"]
    assert [s["n"] for s in data["features"][0]["stops"]] == [1, 2]
    assert data["depots"][0]["name"] == "Aghdam warehouse"


def test_violations_show_red_and_committed_run_links_records() -> None:
    run = plan_run(violations=[{"where": "10-AA-001", "kind": "capacity", "detail": "over"}])
    client = _client(make_user("coordinator"))
    body = client.get(f"/dayplans/{run.reference}/").content.decode()
    assert 'id="violations"' in body and "capacity" in body
    done = plan_run(
        status=PlanStatus.COMMITTED, commitment={"convoys": ["CV-1"], "rounds": ["RND-1"]}
    )
    body = client.get(f"/dayplans/{done.reference}/").content.decode()
    assert "/logistics/convoys/CV-1/" in body
    assert "/teams/rounds/RND-1/" in body
    assert 'data-step="replan"' in body
    assert 'data-edit="move"' not in body


def test_start_form_defaults_to_tomorrow_and_refuses_bad_input() -> None:
    client = _client(make_user("coordinator"))
    page = client.get("/dayplans/new/")
    assert page.status_code == 200
    assert 'type="date"' in page.content.decode()
    bad = client.post("/dayplans/new/", {"day": "nope", "seconds": "0", "seed": "1"})
    assert bad.status_code == 400
    assert 'id="plan-form"' in bad.content.decode()


def test_unknown_step_is_a_404_and_bad_edit_a_400() -> None:
    run = plan_run()
    client = _client(make_user("coordinator"))
    assert client.post(f"/dayplans/{run.reference}/steps/explode/").status_code == 404
    bad = client.post(f"/dayplans/{run.reference}/edit/", {"kind": "teleport"})
    assert bad.status_code == 400


def test_a_replan_shows_what_changed_against_its_base() -> None:
    base = plan_run(status=PlanStatus.SUPERSEDED)
    replan_plan = json.loads(json.dumps(base.plan))
    route = replan_plan["routes"][0]
    route["trips"][0]["stops"] = list(reversed(route["trips"][0]["stops"]))
    replan_plan["routes"][0]["vehicle"] = "10-AA-002"
    replan = plan_run(based_on=base, plan=replan_plan)
    client = _client(make_user("coordinator"))
    body = client.get(f"/dayplans/{replan.reference}/").content.decode()
    assert 'id="changes"' in body and 'id="based-on"' in body
    assert 'data-kind="vehicle"' in body and "10-AA-002" in body
    assert 'data-kind="delivery"' in body
    assert "10-AA-001 (WH-1) 500 → 10-AA-002 (WH-1) 500" in " ".join(body.split())
    base_page = client.get(f"/dayplans/{base.reference}/").content.decode()
    assert replan.reference in base_page


def test_edits_are_listed_with_the_stop_they_changed() -> None:
    run = plan_run(
        edits=[
            {
                "kind": "move",
                "vehicle": "10-AA-001",
                "trip": 1,
                "position": 2,
                "to_vehicle": "10-AA-002",
                "to_position": 1,
                "stop": {"site": "P:V-2", "demands": ["12"], "visit": None},
                "violations": 0,
                "by": "coord",
                "at": "2026-12-02T10:00:00+00:00",
            }
        ]
    )
    body = _client(make_user("coordinator")).get(f"/dayplans/{run.reference}/").content.decode()
    text = " ".join(body.split())
    assert (
        "<strong>10-AA-001</strong> · trip 1, stop 2 (Khankendi) → <strong>10-AA-002</strong>"
        in text
    )
    assert "coord 2026-12-02 10:00" in text
