"""The round workflow: steps in order only, stops changed while the round is open."""

from __future__ import annotations

import pytest
from django.utils import timezone

from reliefops.core.errors import ApplicationError, Conflict, Forbidden, NotFound
from reliefops.core.workflow import InvalidTransition, ReasonRequired
from reliefops.teams import services
from tests.teams.scene import build_scene


def _round(scene, k="A"):
    return services.round_create(
        actor=scene.field[k],
        team=scene.teams[k],
        date=timezone.localdate(),
        stops=[services.StopInput(p) for p in scene.people[k]],
    )


@pytest.mark.django_db
def test_steps_out_of_order_are_refused() -> None:
    scene = build_scene()
    rnd = _round(scene)
    assert rnd.status == "draft" and rnd.stops.count() == 2
    for step in ("start", "complete"):
        with pytest.raises(InvalidTransition):
            services.round_transition(actor=scene.field["A"], round=rnd, step=step)
    services.round_transition(actor=scene.field["A"], round=rnd, step="plan")
    with pytest.raises(InvalidTransition):
        services.round_transition(actor=scene.field["A"], round=rnd, step="plan")
    services.round_transition(actor=scene.field["A"], round=rnd, step="start")
    with pytest.raises(InvalidTransition):
        services.round_transition(actor=scene.field["A"], round=rnd, step="cancel", reason="x")
    services.round_transition(actor=scene.field["A"], round=rnd, step="complete")
    rnd.refresh_from_db()
    assert rnd.status == "completed" and rnd.started_at and rnd.completed_at
    with pytest.raises(ApplicationError):
        services.round_transition(actor=scene.field["A"], round=rnd, step="no-such-step")


@pytest.mark.django_db
def test_cancel_needs_a_reason_and_another_area_may_not_step() -> None:
    scene = build_scene()
    rnd = _round(scene)
    with pytest.raises(Forbidden):
        services.round_transition(actor=scene.field["B"], round=rnd, step="plan")
    with pytest.raises(ReasonRequired):
        services.round_transition(actor=scene.field["A"], round=rnd, step="cancel")
    services.round_transition(actor=scene.field["A"], round=rnd, step="cancel", reason="snow")
    rnd.refresh_from_db()
    assert rnd.status == "cancelled"
    assert services.round_steps_allowed(actor=scene.field["A"], round=rnd) == []


@pytest.mark.django_db
def test_stops_add_remove_reorder_and_an_empty_round_cannot_be_planned() -> None:
    scene = build_scene()
    a, b = scene.people["A"]
    rnd = services.round_create(
        actor=scene.field["A"], team=scene.teams["A"], date=timezone.localdate()
    )
    with pytest.raises(Conflict):
        services.round_transition(actor=scene.field["A"], round=rnd, step="plan")
    services.round_stop_add(actor=scene.field["A"], round=rnd, stop=services.StopInput(a))
    services.round_stop_add(actor=scene.field["A"], round=rnd, stop=services.StopInput(b))
    with pytest.raises(Conflict):
        services.round_stop_add(actor=scene.field["A"], round=rnd, stop=services.StopInput(a))
    with pytest.raises(NotFound):  # a person of another area is not the planner's to add
        services.round_stop_add(
            actor=scene.field["A"], round=rnd, stop=services.StopInput(scene.people["B"][0])
        )
    services.round_stops_reorder(actor=scene.field["A"], round=rnd, order=[2, 1])
    assert [s.person for s in rnd.stops.order_by("sequence")] == [b, a]
    services.round_stop_remove(actor=scene.field["A"], round=rnd, sequence=1)
    assert [(s.sequence, s.person) for s in rnd.stops.all()] == [(1, a)]
    with pytest.raises(ApplicationError):
        services.round_stops_reorder(actor=scene.field["A"], round=rnd, order=[1, 2])
