"""The teams pages: the team list describes a joint team by its organisations and the
languages spoken; the phone round page records a visit in one submit (HTMX) and the
person leaves the due list; the due list puts people on a round."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client
from django.utils import timezone

from reliefops.teams import services
from reliefops.teams.models import Visit
from tests.teams.scene import build_scene


@pytest.mark.django_db
def test_team_list_shows_organisations_and_languages() -> None:
    scene = build_scene()
    services.member_add(
        actor=scene.admin,
        team=scene.teams["A"],
        name="Nurse A",
        organisation=scene.orgs["RCX"],
        skills=["nurse"],
        languages=["hy", "ru"],
    )
    client = Client()
    client.force_login(scene.field["A"])
    body = client.get("/teams/").content.decode()
    assert "MMT-A" in body and "MMT-B" not in body
    assert "HLTH" in body and "RCX" in body
    assert "Armenian" in body and "Russian" in body and "Nurse" in body
    detail = client.get("/teams/MMT-A/").content.decode()
    assert "Nurse A" in detail


@pytest.mark.django_db
def test_a_visit_recorded_on_the_round_page_takes_the_person_off_the_due_list() -> None:
    scene = build_scene()
    who = scene.people["A"][0]
    client = Client()
    client.force_login(scene.field["A"])
    rnd = services.round_create(
        actor=scene.field["A"], team=scene.teams["A"], date=timezone.localdate()
    )
    response = client.post("/teams/due/add/", {"round": rnd.reference, "person": [who.reference]})
    assert response.status_code == 302
    assert rnd.stops.get().person == who
    assert client.post(f"/teams/rounds/{rnd.reference}/steps/plan/").status_code == 302
    page = client.get(f"/teams/rounds/{rnd.reference}/").content.decode()
    assert who.reference in page and "Record the visit" in page
    assert who.reference in client.get("/teams/due/").content.decode()
    client_id = str(uuid.uuid4())
    data = {
        "outcome": "visited",
        "services": ["consultation"],
        "follow_up_days": "7",
        "client_id": client_id,
    }
    url = f"/teams/rounds/{rnd.reference}/stops/1/visit/"
    fragment = client.post(url, data, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200
    text = fragment.content.decode()
    assert 'class="stop card done visited"' in text and "<html" not in text
    again = client.post(url, data, HTTP_HX_REQUEST="true")  # the phone retried
    assert again.status_code == 200
    assert Visit.objects.count() == 1
    visit = Visit.objects.get()
    assert visit.follow_up_due == timezone.localdate() + timezone.timedelta(days=7)
    assert who.reference not in client.get("/teams/due/").content.decode()


@pytest.mark.django_db
def test_a_refused_visit_comes_back_next_to_the_stop_not_as_a_500() -> None:
    scene = build_scene()
    client = Client()
    client.force_login(scene.field["A"])
    rnd = services.round_create(
        actor=scene.field["A"],
        team=scene.teams["A"],
        date=timezone.localdate(),
        stops=[services.StopInput(scene.people["A"][0])],
    )
    url = f"/teams/rounds/{rnd.reference}/stops/1/visit/"
    draft = client.post(url, {"outcome": "visited"}, HTTP_HX_REQUEST="true")
    assert draft.status_code == 409  # a draft round takes no visit
    bad = client.post(url, {"outcome": "nonsense"})
    assert bad.status_code == 400
    assert not Visit.objects.exists()
    other = Client()
    other.force_login(scene.field["B"])
    assert other.post(url, {"outcome": "visited"}).status_code == 404
