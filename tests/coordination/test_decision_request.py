"""A decision becomes a needs request in one step, through the needs app's own service."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from reliefops.accounts.choices import Role
from reliefops.coordination import services
from reliefops.core.errors import Forbidden
from reliefops.needs.models import Request
from reliefops.needs.services import LineInput
from tests.coordination.meeting_scene import Scene

pytestmark = pytest.mark.django_db

TEXT = "Supply fuel for the heating of kindergartens and schools in Northville"


def _decision(scene: Scene):  # type: ignore[no-untyped-def]
    return services.decision_record(
        actor=scene.coordinator, agenda_item=scene.meeting.agenda.first(), text=TEXT
    )


def _create(scene: Scene, actor, decision, **changes):  # type: ignore[no-untyped-def]
    data = {
        "organisation": scene.own,
        "facility": scene.school,
        "lines": [LineInput(quantity=Decimal(800), item=scene.diesel)],
        "needed_from": dt.date(2023, 10, 3),
        "needed_by": dt.date(2023, 10, 31),
        "priority": "urgent",
    }
    return services.decision_request_create(actor=actor, decision=decision, **{**data, **changes})


def test_the_request_carries_the_decision_as_its_source(scene: Scene) -> None:
    decision = _decision(scene)
    request = _create(scene, scene.coordinator, decision)
    assert request.status == "submitted"
    assert request.source == "working_group"
    assert request.decision_reference.startswith(f"{decision.reference}: Supply fuel")
    assert request.justification == TEXT
    assert list(decision.requests.all()) == [request]
    assert request.lines.get().quantity == Decimal(800)


def test_the_needs_checks_apply(scene: Scene) -> None:
    decision = _decision(scene)
    # A logistics officer may not record meetings (the coordination check) …
    with pytest.raises(Forbidden):
        _create(scene, scene.user(Role.LOGISTICS), decision)
    # … a partner may record the meeting's decision but not submit for another organisation.
    with pytest.raises(Forbidden) as refused:
        _create(scene, scene.partner, decision, organisation=scene.other)
    assert refused.value.details["action"] == "request.submit"
    # A second identical request is the needs app's duplicate warning, then confirmed.
    _create(scene, scene.coordinator, decision)
    with pytest.raises(Exception) as duplicate:
        _create(scene, scene.coordinator, decision)
    assert duplicate.value.__class__.__name__ == "PossibleDuplicate"
    _create(scene, scene.coordinator, decision, confirm_duplicate=True)
    assert Request.objects.filter(source="working_group").count() == 2
    assert decision.requests.count() == 2
