"""Write paths of the coordination domain for the write-scope property test."""

from __future__ import annotations

from typing import Any

from reliefops.coordination import services
from tests.core.writescope import Attempt, api, import_kind, not_a_write, page, service


def _area(t: Attempt, key: str | None = None):  # type: ignore[no-untyped-def]
    """Activities need an area: OUT (no area) stands for the country itself here."""
    return t.world.area(key or t.area) or t.world.areas["AZ"]


def _activity(t: Attempt) -> Any:
    """An existing activity in the target area (or the first one) of the target org."""
    key = t.area if (t.area, t.org) in t.world.activity else "WA"
    return t.world.activity[(key, t.org)]


# --- added for fourw
@service("reliefops.coordination.services.activity_create")
def _create(t: Attempt) -> None:
    services.activity_create(
        actor=t.actor, organisation=t.world.org[t.org], area=_area(t), sector="health"
    )


@service("reliefops.coordination.services.activity_update")
def _update(t: Attempt) -> None:
    services.activity_update(
        actor=t.actor,
        activity=_activity(t),
        changes={
            "area": _area(t, t.to),
            "organisation": t.world.org[t.draw(["OWN", "OTHER"])],
            "activity": "probe",
        },
    )


@service("reliefops.coordination.services.activity_step")
def _step(t: Attempt) -> None:
    services.activity_step(
        actor=t.actor, activity=_activity(t), step=t.draw(["start", "suspend"]), reason="probe"
    )


not_a_write("reliefops.coordination.services.activity_values_check", "validation of values only")
not_a_write("reliefops.coordination.services.activity_create_check", "the checks of a create")
not_a_write("reliefops.coordination.services.activity_update_check", "the checks of an update")
not_a_write("reliefops.coordination.services.activity_steps_allowed", "reads the allowed steps")


@api("POST /api/v1/activities/")
def _api_create(t: Attempt) -> None:
    t.api.post(
        "/api/v1/activities/",
        {"organisation": t.org, "area": _area(t).code, "sector": "health"},
        format="json",
    )


@api("PATCH /api/v1/activities/{reference}/")
def _api_update(t: Attempt) -> None:
    t.api.patch(
        f"/api/v1/activities/{_activity(t).reference}/",
        {
            "area": _area(t, t.to).code,
            "organisation": t.draw(["OWN", "OTHER"]),
            "activity": "probe",
        },
        format="json",
    )


@page("coordination:activity_create")
def _page_create(t: Attempt) -> None:
    t.page.post(
        "/coordination/activities/new/",
        {"organisation": t.world.org[t.org].pk, "area": _area(t).pk, "sector": "health"},
    )


@page("coordination:activity_detail")
def _page_update(t: Attempt) -> None:
    t.page.post(
        f"/coordination/activities/{_activity(t).reference}/",
        {
            "organisation": t.world.org[t.draw(["OWN", "OTHER"])].pk,
            "area": _area(t, t.to).pk,
            "sector": "food",
            "activity": "probe",
        },
    )


@page("coordination:activity_step")
def _page_step(t: Attempt) -> None:
    t.page.post(
        f"/coordination/activities/{_activity(t).reference}/{t.draw(['start', 'suspend'])}/",
        {"reason": "probe"},
    )


@import_kind("activities")
def _import_activities(t: Attempt) -> str:
    existing = _activity(t)
    reference = t.draw(["", existing.reference])
    org = t.draw([t.org, "OWN", "OTHER"])
    area = _area(t, t.to)
    column = {0: "Country P-code", 1: "Admin 1 P-code"}.get(area.level, "Admin 2 P-code")
    return (
        f"4W ID,Organisation acronym,Sector/Cluster,{column},Status\n"
        f"{reference},{t.world.org[org].acronym},food,{area.code},planned\n"
    )


not_a_write("coordination:organisation_list", "read-only page")
not_a_write("coordination:activity_list", "read-only page")
not_a_write("coordination:activity_map", "read-only page")
not_a_write("coordination:activity_matrix", "read-only page")

# the retention job (system, no actor; tests/core/test_retention.py)
not_a_write(
    "reliefops.coordination.services.retention.meeting_attachments_purge",
    "the retention job (system, no actor)",
)
