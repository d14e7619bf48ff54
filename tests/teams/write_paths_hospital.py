"""Write paths of referrals and the hospital reports for the write-scope property test.

The world gets, per area, a field hospital, a person (with consent) and referrals in the
statuses the steps start from (:func:`hospital_world`, built once with the world as the
admin through the real services).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from reliefops.teams import services
from tests.core.writescope import Attempt, api, not_a_write, page, service

R = "reliefops.teams.services.referrals"
H = "reliefops.teams.services.hospital"
not_a_write(f"{R}.referral_steps_allowed", "read (buttons)")
not_a_write(f"{R}.facility_area", "read: the area of a facility")
not_a_write(f"{H}.cell_key", "the name of a caseload cell")
not_a_write(f"{H}.caseload_cells", "the cells of the caseload grid")
for _name in (
    "teams:hospital_list",
    "teams:referral_list",
    "teams:referral_detail",  # its forms post to teams:referral_step
):
    not_a_write(_name, "read-only page")

#: Step → the status of the world's referral it is tried on.
SOURCE = {
    "admit": "referred",
    "treat": "admitted",
    "discharge": "treated",
    "transfer": "admitted",
    "cancel": "referred",
}
STATUSES = ("referred", "admitted", "treated")


def hospital_world(world: Any) -> None:
    """Hospitals, people and referrals per area key (once per world)."""
    if hasattr(world, "hospital"):
        return
    from reliefops.places.models import Facility
    from tests.core.writescope.world import KEYS
    from tests.people.factories import PersonFactory, consent_all

    world.hospital, world.patient, world.referral = {}, {}, {}
    for key in KEYS:
        place = world.place[key]
        world.hospital[key] = Facility.objects.create(
            code=f"FH-{key}",
            kind="field_hospital",
            place=place,
            latitude=place.latitude,
            longitude=place.longitude,
        )
        person = PersonFactory(
            place=place, area=place.admin1, organisation=world.org["OWN"], reference=f"P-W{key}"
        )
        consent_all(person)
        world.patient[key] = person
        for status in STATUSES:
            referral = services.referral_create(
                actor=world.admin,
                person=person,
                facility=world.hospital[key],
                reason="surgery",
                urgency="urgent",
                transport="ambulance",
                referred_at=timezone.now() - dt.timedelta(hours=5),
            )
            for step in {"referred": [], "admitted": ["admit"], "treated": ["admit", "treat"]}[
                status
            ]:
                services.referral_transition(actor=world.admin, referral=referral, step=step)
            world.referral[(key, status)] = referral


def elsewhere(t: Attempt) -> Any:
    """A hospital to transfer to: the target one, or another when that is the referral's
    own (a transfer goes to another facility; it does not change the referral's scope)."""
    if t.to != t.area:
        return t.world.hospital[t.to]
    return t.world.hospital["WB" if t.area != "WB" else "WA"]


def referral(t: Attempt, step: str) -> Any:
    from reliefops.teams.models import Referral

    return Referral.objects.get(pk=t.world.referral[(t.area, SOURCE[step])].pk)


@service(f"{R}.referral_create")
def _create(t: Attempt) -> None:
    services.referral_create(
        actor=t.actor,
        person=t.world.patient[t.area],
        facility=t.world.hospital[t.to],
        reason="injury",
        urgency="routine",
        transport="team_vehicle",
    )


@service(f"{R}.referral_transition")
def _transition(t: Attempt) -> None:
    step = t.draw(sorted(SOURCE))
    services.referral_transition(
        actor=t.actor,
        referral=referral(t, step),
        step=step,
        transferred_to=elsewhere(t) if step == "transfer" else None,
    )


@service(f"{H}.hospital_status_report")
def _status(t: Attempt) -> None:
    services.hospital_status_report(
        actor=t.actor,
        facility=t.world.hospital[t.area],
        date=timezone.localdate(),
        beds_total=40,
        beds_available=t.draw([10, 40]),
        services=["surgery"],
    )


@service(f"{H}.caseload_report")
def _caseload(t: Attempt) -> None:
    services.caseload_report(
        actor=t.actor,
        facility=t.world.hospital[t.area],
        date=timezone.localdate(),
        counts={("admissions", "18_59", t.draw(["female", "male"])): 6},
    )


@api("POST /api/v1/referrals/")
def _api_create(t: Attempt) -> None:
    t.api.post(
        "/api/v1/referrals/",
        {
            "person": t.world.patient[t.area].reference,
            "facility": t.world.hospital[t.to].code,
            "reason": "injury",
            "transport": "ambulance",
        },
        format="json",
    )


def _api_step(step: str) -> None:
    @api(f"POST /api/v1/referrals/{{reference}}/{step}/")
    def probe(t: Attempt) -> None:
        target = referral(t, step)
        body = {"transferred_to": elsewhere(t).code} if step == "transfer" else {}
        t.api.post(f"/api/v1/referrals/{target.reference}/{step}/", body, format="json")


for _step in SOURCE:
    _api_step(_step)


@api("POST /api/v1/hospitals/{code}/status/")
def _api_status(t: Attempt) -> None:
    t.api.post(
        f"/api/v1/hospitals/{t.world.hospital[t.area].code}/status/",
        {"date": timezone.localdate().isoformat(), "beds_total": 30, "beds_available": 9},
        format="json",
    )


@api("POST /api/v1/hospitals/{code}/caseload/")
def _api_caseload(t: Attempt) -> None:
    t.api.post(
        f"/api/v1/hospitals/{t.world.hospital[t.area].code}/caseload/",
        {
            "date": timezone.localdate().isoformat(),
            "counts": [{"measure": "discharges", "age_band": "70_plus", "sex": "male", "count": 5}],
        },
        format="json",
    )


@page("teams:referral_create")
def _page_create(t: Attempt) -> None:
    t.page.post(
        "/teams/referrals/new/",
        {
            "person": t.world.patient[t.area].reference,
            "facility": t.world.hospital[t.to].pk,
            "reason": "injury",
            "urgency": "routine",
            "transport": "own_means",
        },
    )


@page("teams:referral_step")
def _page_step(t: Attempt) -> None:
    step = t.draw(sorted(SOURCE))
    target = referral(t, step)
    body: dict[str, Any] = {"confirm": "on"}
    if step == "transfer":
        body["transferred_to"] = elsewhere(t).pk
    t.page.post(f"/teams/referrals/{target.reference}/steps/{step}/", body)


@page("teams:hospital_detail")
def _page_report(t: Attempt) -> None:
    body = {
        "date": timezone.localdate().isoformat(),
        "beds_total": "20",
        "beds_available": "5",
        "services": ["surgery"],
        "admissions.18_59.female": "7",
    }
    t.page.post(f"/teams/hospitals/{t.world.hospital[t.area].code}/", body)
