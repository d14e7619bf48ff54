"""Write paths of the people registry's pages and API for the write-scope property test
(tests/core/writescope; pcore's ``write_paths.py`` probes the services and builds the
world's people).

The probes find the world's people by area and registering organisation in the database,
so they follow whatever the world holds: the active records of the drawn area, and a
merge whose records lie there.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from reliefops.people.models import Person, PersonMerge
from tests.core.writescope import Attempt, api, not_a_write, page

for _name in (
    "people:person_list",
    "people:person_detail",
    "people:duplicates",
    "people:access_log",
    "people:audit_trail",
    "people:merge_list",
):
    not_a_write(_name, "read-only page")


def people(t: Attempt, count: int = 1) -> list[Person]:
    """Active records of the drawn area (and registering organisation), read afresh."""
    found = list(
        Person.objects.select_related("place", "area")
        .filter(area=t.world.area(t.area), organisation=t.world.org[t.org], status="active")
        .order_by("reference")[:count]
    )
    return found if len(found) == count else []


def person(t: Attempt) -> Person | None:
    found = people(t)
    return found[0] if found else None


def merge(t: Attempt) -> PersonMerge | None:
    return (
        PersonMerge.objects.filter(survivor__area=t.world.area(t.area), undone_at__isnull=True)
        .order_by("created_at")
        .first()
    )


def _today() -> str:
    return dt.date.today().isoformat()


def _registration(t: Attempt) -> dict[str, Any]:
    return {
        "full_name": "Probe Person",
        "place": t.world.place[t.to].code,
        "year_of_birth": "1950",
        "sex": "female",
        "mobility": "independent",
        "organisation": t.org,
        "consent_given_by": "self",
        "consents": ["registration", "visits"],
    }


# --------------------------------------------------------------------------- pages


@page("people:person_create")
def _page_create(t: Attempt) -> None:
    t.page.post("/people/new/", _registration(t))


@page("people:person_edit")
def _page_edit(t: Attempt) -> None:
    target = person(t)
    if target is None:
        return
    body = {**_registration(t), "full_name": "", "mobility": "limited"}
    t.page.post(f"/people/{target.reference}/edit/", body)


@page("people:person_reveal")
def _page_reveal(t: Attempt) -> None:
    target = person(t)
    if target is not None:
        t.page.post(
            f"/people/{target.reference}/reveal/",
            {"reveal-show": ["full_name"], "reveal-purpose": "visit"},
        )


@page("people:consent_record")
def _page_consent(t: Attempt) -> None:
    target = person(t)
    if target is not None:
        t.page.post(
            f"/people/{target.reference}/consent/",
            {
                "consent-purpose": "contact",
                "consent-given": t.draw(["yes", "no"]),
                "consent-given_on": _today(),
                "consent-given_by": "self",
            },
        )


@page("people:consent_withdraw")
def _page_withdraw(t: Attempt) -> None:
    target = person(t)
    if target is not None:
        t.page.post(
            f"/people/{target.reference}/consent/withdraw/",
            {"withdraw-purpose": "sharing", "withdraw-on": _today()},
        )


@page("people:person_deactivate")
def _page_deactivate(t: Attempt) -> None:
    target = person(t)
    if target is not None:
        t.page.post(f"/people/{target.reference}/deactivate/", {"deactivate-reason": "moved"})


@page("people:subject_access")
def _page_subject_access(t: Attempt) -> None:
    target = person(t)
    if target is not None:
        t.page.post(f"/people/{target.reference}/subject-access/")


@page("people:person_erase")
def _page_erase(t: Attempt) -> None:
    target = person(t)
    if target is not None:
        t.page.post(
            f"/people/{target.reference}/erase/",
            {"erase-confirm_reference": target.reference, "erase-reason": "probe"},
        )


def _pair(t: Attempt) -> dict[str, str] | None:
    found = people(t, 2)
    return {"first": found[0].reference, "second": found[1].reference} if found else None


@page("people:duplicate_reveal")
def _page_duplicate_reveal(t: Attempt) -> None:
    pair = _pair(t)
    if pair:
        t.page.post("/people/duplicates/reveal/", pair)


@page("people:duplicate_merge")
def _page_duplicate_merge(t: Attempt) -> None:
    pair = _pair(t)
    if pair:
        t.page.post("/people/duplicates/merge/", {**pair, "keep": "first", "confirm": "on"})


@page("people:duplicate_dismiss")
def _page_duplicate_dismiss(t: Attempt) -> None:
    pair = _pair(t)
    if pair:
        t.page.post("/people/duplicates/dismiss/", pair)


@page("people:merge_undo")
def _page_merge_undo(t: Attempt) -> None:
    target = merge(t)
    if target is not None:
        t.page.post(f"/people/merges/{target.pk}/undo/", {"confirm": "on"})


# --------------------------------------------------------------------------- API


@api("POST /api/v1/people/")
def _api_create(t: Attempt) -> None:
    body = {
        "full_name": "Probe Person",
        "place": t.world.place[t.to].code,
        "year_of_birth": 1950,
        "organisation": t.org,
        "consents": [{"purpose": "registration", "given": True, "given_on": _today()}],
    }
    t.api.post("/api/v1/people/", body, format="json")


@api("PATCH /api/v1/people/{reference}/")
def _api_update(t: Attempt) -> None:
    target = person(t)
    if target is not None:
        change = t.draw([{"mobility": "limited"}, {"place": t.world.place[t.to].code}])
        t.api.patch(f"/api/v1/people/{target.reference}/", change, format="json")


@api("POST /api/v1/people/{reference}/consent/")
def _api_consent(t: Attempt) -> None:
    target = person(t)
    if target is not None:
        t.api.post(
            f"/api/v1/people/{target.reference}/consent/",
            {"purpose": "contact", "given": True, "given_on": _today()},
            format="json",
        )


@api("POST /api/v1/people/{reference}/withdraw-consent/")
def _api_withdraw(t: Attempt) -> None:
    target = person(t)
    if target is not None:
        t.api.post(
            f"/api/v1/people/{target.reference}/withdraw-consent/",
            {"purpose": "sharing"},
            format="json",
        )


@api("POST /api/v1/people/{reference}/reveal/")
def _api_reveal(t: Attempt) -> None:
    target = person(t)
    if target is not None:
        t.api.post(
            f"/api/v1/people/{target.reference}/reveal/",
            {"fields": ["phone"], "purpose": "contact"},
            format="json",
        )


@api("POST /api/v1/people/duplicates/dismiss/")
def _api_dismiss(t: Attempt) -> None:
    pair = _pair(t)
    if pair:
        t.api.post("/api/v1/people/duplicates/dismiss/", pair, format="json")


@api("POST /api/v1/people/merges/")
def _api_merge(t: Attempt) -> None:
    pair = _pair(t)
    if pair:
        t.api.post(
            "/api/v1/people/merges/",
            {"survivor": pair["first"], "duplicate": pair["second"]},
            format="json",
        )


@api("POST /api/v1/people/merges/{id}/undo/")
def _api_undo(t: Attempt) -> None:
    target = merge(t)
    if target is not None:
        t.api.post(f"/api/v1/people/merges/{target.pk}/undo/")
