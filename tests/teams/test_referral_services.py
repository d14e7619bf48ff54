"""Referrals: the workflow, consent, idempotency, scoping and the audit."""

from __future__ import annotations

import uuid

import pytest

from reliefops.core.audit import AuditEvent
from reliefops.core.errors import Forbidden, InvalidInput, NotFound
from reliefops.core.workflow import InvalidTransition
from reliefops.people.models import Consent
from reliefops.people.services import ConsentMissing
from reliefops.teams import selectors, services
from tests.stock.factories import FacilityFactory
from tests.teams.hospital_scene import hospital_scene, refer

pytestmark = pytest.mark.django_db


def test_a_referral_goes_through_its_steps_in_order() -> None:
    scene = hospital_scene()
    referral = refer(scene)
    assert referral.reference.startswith("RF-") and referral.status == "referred"
    assert referral.area == scene.area["A"] and referral.facility_area == scene.area["A"]
    with pytest.raises(InvalidTransition):
        services.referral_transition(actor=scene.staff, referral=referral, step="discharge")
    for step, status in (("admit", "admitted"), ("treat", "treated"), ("discharge", "discharged")):
        referral = services.referral_transition(actor=scene.staff, referral=referral, step=step)
        assert referral.status == status
    with pytest.raises(InvalidTransition):
        services.referral_transition(actor=scene.staff, referral=referral, step="admit")
    with pytest.raises(InvalidInput):
        services.referral_transition(actor=scene.staff, referral=referral, step="fly")


def test_a_transfer_needs_another_facility() -> None:
    scene = hospital_scene()
    referral = services.referral_transition(actor=scene.staff, referral=refer(scene), step="admit")
    with pytest.raises(InvalidInput) as missing:
        services.referral_transition(actor=scene.staff, referral=referral, step="transfer")
    assert missing.value.details["field"] == "transferred_to"
    with pytest.raises(InvalidInput):
        services.referral_transition(
            actor=scene.staff,
            referral=referral,
            step="transfer",
            transferred_to=scene.hospital["A"],
        )
    school = FacilityFactory(code="ZH-SCH", kind="school", place=scene.hospital["B"].place)
    with pytest.raises(InvalidInput):
        services.referral_transition(
            actor=scene.staff, referral=referral, step="transfer", transferred_to=school
        )
    done = services.referral_transition(
        actor=scene.staff, referral=referral, step="transfer", transferred_to=scene.hospital["B"]
    )
    assert done.status == "transferred" and done.transferred_to == scene.hospital["B"]
    # Referrals out are derived from transfers.
    series = selectors.caseload_series(scene.hospital["A"])
    assert series.referrals_out[-1] is None  # one transfer: suppressed (<5)


def test_only_cancelled_from_referred() -> None:
    scene = hospital_scene()
    referral = refer(scene)
    cancelled = services.referral_transition(actor=scene.staff, referral=referral, step="cancel")
    assert cancelled.status == "cancelled"


def test_no_referral_without_consent_to_referral() -> None:
    scene = hospital_scene()
    Consent.objects.filter(person=scene.person["A"], purpose="referral").update(given=False)
    with pytest.raises(ConsentMissing) as refused:
        refer(scene)
    assert refused.value.details["person"] == scene.person["A"].reference
    assert scene.person["A"].full_name not in str(refused.value.message)


def test_a_retried_submission_creates_one_referral() -> None:
    scene = hospital_scene()
    client_id = uuid.uuid4()
    first = refer(scene, client_id=client_id)
    again = refer(scene, client_id=client_id)
    assert first.pk == again.pk
    assert selectors.referral_list(actor=scene.admin).count() == 1


def test_the_hospital_staff_update_referrals_to_their_facility_only() -> None:
    scene = hospital_scene()
    to_a = refer(scene, "B", "A")  # a person of B referred to the hospital in A
    to_b = refer(scene, "A", "B")
    # The staff of A see the referral to their hospital (and the one of their person).
    seen = set(selectors.referral_list(actor=scene.staff).values_list("reference", flat=True))
    assert seen == {to_a.reference, to_b.reference}
    services.referral_transition(actor=scene.staff, referral=to_a, step="admit")
    with pytest.raises(Forbidden):
        services.referral_transition(actor=scene.staff, referral=to_b, step="admit")
    # A field worker of B may refer their own person, not A's.
    with pytest.raises(Forbidden):
        services.referral_create(
            actor=scene.worker_b,
            person=scene.person["A"],
            facility=scene.hospital["A"],
            reason="injury",
            urgency="routine",
            transport="ambulance",
        )


def test_a_field_worker_of_another_area_sees_none() -> None:
    from reliefops.accounts.choices import Role
    from tests.accounts.factories import make_user
    from tests.places.factories import AdminAreaFactory

    scene = hospital_scene()
    refer(scene, "A", "A")
    elsewhere = make_user(Role.FIELD, areas=[AdminAreaFactory(code="ZH-C")])
    assert selectors.referral_list(actor=elsewhere).count() == 0
    with pytest.raises(NotFound):
        selectors.referral_get(actor=elsewhere, reference=refer(scene).reference)


def test_the_audit_names_references_only() -> None:
    scene = hospital_scene()
    referral = refer(scene)
    services.referral_transition(actor=scene.staff, referral=referral, step="admit")
    events = AuditEvent.objects.filter(action__startswith="referral.")
    assert events.count() == 2
    for event in events:
        text = f"{event.before} {event.after} {event}"
        assert scene.person["A"].full_name not in text
    assert events.get(action="referral.create").after["person"] == scene.person["A"].reference
