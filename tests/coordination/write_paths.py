"""Write paths of the coordination domain for the write-scope property test."""

from __future__ import annotations

from reliefops.coordination import services
from tests.core.writescope import Attempt, api, not_a_write, page, service


def _area(t: Attempt):  # type: ignore[no-untyped-def]
    """Presences need an area: OUT (no area) stands for the country itself here."""
    return t.world.area(t.area) or t.world.areas["AZ"]


@service("reliefops.coordination.services.presence_create")
def _presence(t: Attempt) -> None:
    services.presence_create(
        actor=t.actor, organisation=t.world.org[t.org], area=_area(t), sector="health"
    )


@api("POST /api/v1/presence/")
def _api_presence(t: Attempt) -> None:
    t.api.post(
        "/api/v1/presence/",
        {"organisation": t.org, "area": _area(t).code, "sector": "health"},
        format="json",
    )


@page("coordination:presence_list")
def _page_presence(t: Attempt) -> None:
    t.page.post(
        "/coordination/presence/",
        {"organisation": t.world.org[t.org].pk, "area": _area(t).pk, "sector": "health"},
    )


not_a_write("coordination:organisation_list", "read-only page")
