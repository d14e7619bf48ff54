"""4W activities: the form's choices, the API's codes, the services' rules, the workflow,
the scoped reads (map counts, matrix) and the partner directory."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from reliefops.accounts.choices import Role
from reliefops.coordination import services
from reliefops.coordination.models import Activity
from reliefops.coordination.selectors import (
    activities_for,
    activity_area_choices,
    activity_area_counts,
    activity_list,
    activity_matrix,
    activity_organisation_choices,
    partner_directory,
)
from reliefops.core.audit import AuditEvent
from reliefops.core.errors import Forbidden, InvalidInput
from reliefops.core.workflow import InvalidTransition, ReasonRequired
from tests.accounts.factories import OrganisationFactory, make_user
from tests.coordination.factories import make_activity
from tests.places.factories import AdminAreaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> dict[str, Any]:
    country = AdminAreaFactory(code="QQ", level=0)
    north = AdminAreaFactory(code="QQ-N", level=1, parent=country)
    north_east = AdminAreaFactory(code="QQ-N-E", level=2, parent=north)
    south = AdminAreaFactory(code="QQ-S", level=1, parent=country)
    own = OrganisationFactory(acronym="OWN")
    other = OrganisationFactory(acronym="OTHER")
    gone = OrganisationFactory(acronym="GONE", is_active=False)
    partner = make_user(Role.PARTNER, areas=[north], organisation=own)
    coordinator = make_user(Role.COORDINATOR, organisation=own)
    return {
        "country": country,
        "north": north,
        "north_east": north_east,
        "south": south,
        "own": own,
        "other": other,
        "gone": gone,
        "partner": partner,
        "coordinator": coordinator,
    }


def test_the_form_offers_only_what_the_user_may_record(world: dict[str, Any]) -> None:
    partner, coordinator = world["partner"], world["coordinator"]
    assert [a.code for a in activity_area_choices(actor=partner)] == ["QQ-N", "QQ-N-E"]
    assert [o.acronym for o in activity_organisation_choices(actor=partner)] == ["OWN"]
    national = {a.code for a in activity_area_choices(actor=coordinator)}
    assert {"QQ-N", "QQ-N-E", "QQ-S"} <= national and "QQ" not in national
    organisations = {o.acronym for o in activity_organisation_choices(actor=coordinator)}
    assert {"OWN", "OTHER"} <= organisations and "GONE" not in organisations

    page = Client()
    page.force_login(partner)
    html = page.get("/coordination/activities/new/").content.decode()
    assert f'value="{world["north"].pk}"' in html
    assert f'value="{world["south"].pk}"' not in html
    own_select = html[
        html.index('name="organisation"') : html.index(
            "</select>", html.index('name="organisation"')
        )
    ]
    assert f'value="{world["other"].pk}"' not in own_select  # any may implement, though
    refused = page.post(
        "/coordination/activities/new/",
        {"organisation": world["own"].pk, "area": world["south"].pk, "sector": "health"},
    )
    assert refused.status_code == 400
    assert not Activity.objects.exists()
    saved = page.post(
        "/coordination/activities/new/",
        {
            "organisation": world["own"].pk,
            "area": world["north_east"].pk,
            "sector": "health",
            "activity": "Mobile clinic",
            "planned_female_children": "12",
            "planned_male_older": "0",
        },
    )
    activity = Activity.objects.get()
    assert saved.status_code == 302 and saved["Location"].endswith(f"/{activity.reference}/")
    assert (activity.area.code, activity.planned_female_children) == ("QQ-N-E", 12)
    assert (activity.planned_male_older, activity.reached_female_children) == (0, None)


def test_the_api_names_organisation_and_area_by_code(world: dict[str, Any]) -> None:
    api = APIClient()
    api.force_authenticate(world["coordinator"])
    created = api.post(
        "/api/v1/activities/",
        {"organisation": "OTHER", "area": "QQ-S", "sector": "food"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert (created.json()["organisation"], created.json()["area"]) == ("OTHER", "QQ-S")
    activity = Activity.objects.get(pk=created.json()["id"])
    assert (activity.organisation, activity.area) == (world["other"], world["south"])
    assert created.json()["reference"] == activity.reference and activity.status == "planned"
    assert api.get(f"/api/v1/activities/{activity.reference}/").json()["area"] == "QQ-S"

    for organisation, area in [("GONE", "QQ-S"), ("OTHER", "QQ-NOPE"), (["OTHER"], True)]:
        refused = api.post(
            "/api/v1/activities/",
            {"organisation": organisation, "area": area, "sector": "food"},
            format="json",
        )
        assert refused.status_code == 400
        details = refused.json()["error"]["details"]
        field = "organisation" if organisation != "OTHER" else "area"
        assert field in details and all(isinstance(m, str) for m in details[field])
    assert Activity.objects.count() == 1


def test_the_api_refuses_an_area_outside_the_write_scope_with_a_403(
    world: dict[str, Any],
) -> None:
    """The lookup names any area; the service's write check refuses it (not a 'no such')."""
    api = APIClient()
    api.force_authenticate(world["partner"])
    response = api.post(
        "/api/v1/activities/",
        {"organisation": "OWN", "area": "QQ-S", "sector": "food"},
        format="json",
    )
    assert response.status_code == 403
    assert not Activity.objects.exists()


def test_the_directory_shows_the_sectors_seen_in_the_users_areas(world: dict[str, Any]) -> None:
    make_activity(organisation=world["other"], area=world["north_east"], sector="health")
    make_activity(organisation=world["other"], area=world["south"], sector="food")
    rows = {
        r["organisation"].acronym: r["sectors"] for r in partner_directory(actor=world["partner"])
    }
    assert rows["OTHER"] == ["Health"] and rows["OWN"] == [] and "GONE" not in rows
    national = {
        r["organisation"].acronym: r["sectors"]
        for r in partner_directory(actor=world["coordinator"])
    }
    assert national["OTHER"] == ["Food security", "Health"]

    page = Client()
    page.force_login(world["partner"])
    html = page.get("/coordination/organisations/").content.decode()
    table = html[html.index("<tbody>") : html.index("</tbody>")]  # not the sector filter
    assert "Health" in table and "Food security" not in table


def test_a_partner_edits_only_its_own_organisations_activities(world: dict[str, Any]) -> None:
    mine = make_activity(organisation=world["own"], area=world["north"])
    theirs = make_activity(organisation=world["other"], area=world["north"])
    api = APIClient()
    api.force_authenticate(world["partner"])
    ok = api.patch(f"/api/v1/activities/{mine.reference}/", {"donor": "ECHO"}, format="json")
    assert ok.status_code == 200, ok.json()
    refused = api.patch(f"/api/v1/activities/{theirs.reference}/", {"donor": "ECHO"}, format="json")
    assert refused.status_code == 403
    handed = api.patch(
        f"/api/v1/activities/{mine.reference}/", {"organisation": "OTHER"}, format="json"
    )
    assert handed.status_code == 403
    moved = api.patch(f"/api/v1/activities/{mine.reference}/", {"area": "QQ-S"}, format="json")
    assert moved.status_code == 403
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.donor, mine.organisation, mine.area) == ("ECHO", world["own"], world["north"])
    assert theirs.donor == ""
    # both read it: coordination means seeing who else works in the area
    listed = api.get("/api/v1/activities/").json()["results"]
    assert {r["reference"] for r in listed} == {mine.reference, theirs.reference}


def test_create_checks_dates_place_and_people_and_audits(world: dict[str, Any]) -> None:
    coordinator = world["coordinator"]
    base = {"organisation": world["own"], "sector": "food", "area": world["north"]}
    with pytest.raises(InvalidInput) as error:
        services.activity_create(
            actor=coordinator,
            **base,
            start_date=dt.date(2023, 10, 2),
            end_date=dt.date(2023, 10, 1),
        )
    assert error.value.details["field"] == "end_date"
    with pytest.raises(InvalidInput) as error:
        services.activity_create(actor=coordinator, **{**base, "area": None})
    assert error.value.details["field"] == "area"
    with pytest.raises(InvalidInput) as error:
        services.activity_create(actor=coordinator, **base, reached_male_adults=-1)
    assert error.value.details["field"] == "reached_male_adults"
    with pytest.raises(InvalidInput):
        services.activity_create(actor=coordinator, **{**base, "sector": "weather"})
    with pytest.raises(Forbidden):
        services.activity_create(actor=world["partner"], **{**base, "area": world["south"]})
    assert not Activity.objects.exists()

    first = services.activity_create(actor=coordinator, **base, planned_female_adults=40)
    second = services.activity_create(actor=coordinator, **base, status="ongoing")
    assert (first.reference, second.reference) == ("4W-00001", "4W-00002")
    assert second.status == "ongoing"
    with pytest.raises(ReasonRequired):  # suspended only with a reason
        services.activity_create(actor=coordinator, **base, status="suspended")
    event = AuditEvent.objects.get(action="activity.create", object_id=str(first.pk))
    assert event.after["organisation"] == "OWN" and event.after["planned_female_adults"] == 40


def test_a_place_gives_the_area_and_must_lie_in_a_given_one(world: dict[str, Any]) -> None:
    from tests.places.factories import PlaceFactory

    village = PlaceFactory(code="QQ-V1", admin1=world["north"], admin2=world["north_east"])
    coordinator = world["coordinator"]
    activity = services.activity_create(
        actor=coordinator, organisation=world["own"], sector="wash", place=village
    )
    assert activity.area == world["north_east"]
    with pytest.raises(InvalidInput) as error:
        services.activity_create(
            actor=coordinator,
            organisation=world["own"],
            sector="wash",
            place=village,
            area=world["south"],
        )
    assert error.value.details["field"] == "place"


def test_the_workflow_takes_one_step_at_a_time_with_reasons(world: dict[str, Any]) -> None:
    coordinator = world["coordinator"]
    activity = make_activity(organisation=world["own"], area=world["north"])
    assert services.activity_steps_allowed(actor=coordinator, activity=activity) == [
        "start",
        "suspend",
    ]
    with pytest.raises(InvalidTransition):
        services.activity_step(actor=coordinator, activity=activity, step="complete")
    services.activity_step(actor=coordinator, activity=activity, step="start")
    with pytest.raises(ReasonRequired):
        services.activity_step(actor=coordinator, activity=activity, step="suspend")
    services.activity_step(
        actor=coordinator, activity=activity, step="suspend", reason="Road closed"
    )
    activity.refresh_from_db()
    assert activity.status == "suspended"
    event = AuditEvent.objects.get(action="activity.suspend")
    assert event.before == {"status": "ongoing"} and event.after["reason"] == "Road closed"
    other = make_activity(organisation=world["other"], area=world["north"])
    assert services.activity_steps_allowed(actor=world["partner"], activity=other) == []
    with pytest.raises(Forbidden):
        services.activity_step(actor=world["partner"], activity=other, step="start")
    # an update may change the status by one step only
    with pytest.raises(InvalidTransition):
        services.activity_update(
            actor=coordinator, activity=activity, changes={}, status="completed"
        )
    services.activity_update(actor=coordinator, activity=activity, changes={}, status="ongoing")
    assert Activity.objects.get(pk=activity.pk).status == "ongoing"


def test_reads_are_scoped_and_roll_up_to_level_one_areas(world: dict[str, Any]) -> None:
    make_activity(
        organisation=world["own"],
        area=world["north_east"],
        sector="health",
        status="ongoing",
        start_date=dt.date(2023, 9, 1),
        reached_female_children=5,
        reached_male_children=7,
    )
    make_activity(
        organisation=world["other"],
        area=world["north"],
        sector="food",
        status="ongoing",
        end_date=dt.date(2023, 9, 10),
    )
    make_activity(organisation=world["other"], area=world["south"], sector="food")
    partner, coordinator = world["partner"], world["coordinator"]
    assert activity_list(actor=partner).count() == 2
    assert activity_list(actor=coordinator).count() == 3
    on = activities_for(actor=coordinator, on=dt.date(2023, 9, 20))
    assert {a.area.code for a in on} == {"QQ-N-E", "QQ-S"}  # the food one in QQ-N ended
    assert activities_for(actor=coordinator, area=world["north"]).count() == 2
    assert activities_for(actor=coordinator, sector="food", status=["planned"]).count() == 1

    counts = activity_area_counts(actor=partner, activities=activity_list(actor=partner))
    assert [(c.area.code, c.organisations, c.activities, c.reached) for c in counts] == [
        ("QQ-N", 2, 2, 12)
    ]
    matrix = activity_matrix(actor=coordinator)
    assert [a.code for a in matrix.areas] == ["QQ-N", "QQ-S"]
    assert [(o.acronym, cells) for o, cells in matrix.rows()] == [
        ("OTHER", [["food"], ["food"]]),
        ("OWN", [["health"], []]),
    ]
    assert matrix.area_totals() == [2, 1]
    assert [
        o.acronym for o in activity_matrix(actor=coordinator, sector="health").organisations
    ] == ["OWN"]
    assert [a.code for a in activity_matrix(actor=partner).areas] == ["QQ-N"]
