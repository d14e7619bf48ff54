"""Recording visits: consent, idempotent submissions, the stop closed, corrections."""

from __future__ import annotations

import uuid

import pytest
from django.utils import timezone

from reliefops.core.errors import ApplicationError, Forbidden, NotFound
from reliefops.core.models import AuditEvent
from reliefops.people.models import Consent
from reliefops.people.services import ConsentMissing
from reliefops.teams import services
from reliefops.teams.models import Visit
from tests.teams.scene import build_scene, days_ago, person


@pytest.mark.django_db
def test_a_visit_without_consent_to_visits_is_refused() -> None:
    scene = build_scene()
    who = person(scene.places["A"], consent=False)
    with pytest.raises(ConsentMissing) as exc:
        services.visit_record(actor=scene.field["A"], person=who, team=scene.teams["A"])
    assert exc.value.details["person"] == who.reference
    assert "Test Person" not in str(exc.value.as_dict())
    Consent.objects.create(person=who, purpose="visits", given=True, given_on=timezone.localdate())
    Consent.objects.create(
        person=who,
        purpose="visits",
        given=True,
        given_on=timezone.localdate(),
        withdrawn_on=timezone.localdate(),
    )
    with pytest.raises(ConsentMissing):
        services.visit_record(actor=scene.field["A"], person=who, team=scene.teams["A"])
    assert not Visit.objects.exists()


@pytest.mark.django_db
def test_the_same_client_id_is_recorded_once() -> None:
    scene = build_scene()
    who = scene.people["A"][0]
    client = uuid.uuid4()
    first = services.visit_record(
        actor=scene.field["A"],
        person=who,
        team=scene.teams["A"],
        client_id=client,
        services=["consultation"],
    )
    again = services.visit_record(
        actor=scene.field["A"],
        person=who,
        team=scene.teams["A"],
        client_id=str(client),
        services=["food_parcel"],
    )
    assert again.pk == first.pk
    assert Visit.objects.count() == 1
    assert AuditEvent.objects.filter(action="visit.record").count() == 1
    with pytest.raises(ApplicationError):
        services.visit_record(
            actor=scene.field["A"],
            person=scene.people["A"][1],
            team=scene.teams["A"],
            client_id=client,
        )


@pytest.mark.django_db
def test_a_field_worker_of_another_area_cannot_record_a_visit() -> None:
    scene = build_scene()
    who = scene.people["A"][0]
    with pytest.raises((Forbidden, NotFound)):
        services.visit_record(actor=scene.field["B"], person=who, team=scene.teams["A"])
    with pytest.raises((Forbidden, NotFound)):
        services.visit_record(actor=scene.field["B"], person=who, team=scene.teams["B"])
    assert not Visit.objects.exists()


@pytest.mark.django_db
def test_a_visit_at_a_stop_marks_it_done_and_the_audit_names_no_identity() -> None:
    scene = build_scene()
    who = scene.people["A"][0]
    rnd = services.round_create(
        actor=scene.field["A"],
        team=scene.teams["A"],
        date=timezone.localdate(),
        stops=[services.StopInput(who, services=["consultation"])],
    )
    stop = rnd.stops.get()
    with pytest.raises(ApplicationError):  # a draft round takes no visit yet
        services.visit_record(actor=scene.field["A"], person=who, team=scene.teams["A"], stop=stop)
    services.round_transition(actor=scene.field["A"], round=rnd, step="plan")
    visit = services.visit_record(
        actor=scene.field["A"],
        person=who,
        team=scene.teams["A"],
        stop=stop,
        services=["consultation", "medication_refill"],
        visited_at=days_ago(0),
    )
    assert visit.stop == stop and stop.visits.get() == visit
    assert visit.area == who.area and visit.place == who.place
    for event in AuditEvent.objects.all():
        assert who.full_name not in str(event.before) + str(event.after) + event.object_repr
    corrected = services.visit_correct(actor=scene.field["A"], visit=visit, outcome="not_at_home")
    assert corrected.outcome == "not_at_home"
    with pytest.raises(Forbidden):
        services.visit_correct(actor=scene.field["B"], visit=visit, outcome="visited")
