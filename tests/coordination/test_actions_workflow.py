"""Action items: the shared workflow (steps, refusals naming the step), owners, the
overdue rule, links to what they caused."""

from __future__ import annotations

import datetime as dt

import pytest

from reliefops.accounts.choices import Role
from reliefops.coordination import selectors, services
from reliefops.coordination.models import ActionItem
from reliefops.core.errors import Forbidden, InvalidInput
from reliefops.core.models import AuditEvent
from reliefops.core.workflow import InvalidTransition, ReasonRequired
from tests.coordination.meeting_scene import Scene

pytestmark = pytest.mark.django_db


def _item(scene: Scene, *, owner=None, due=dt.date(2023, 10, 1)) -> ActionItem:  # type: ignore[no-untyped-def]
    return services.action_item_create(
        actor=scene.coordinator,
        meeting=scene.meeting,
        title="Set up the field hospital",
        owner_organisation=owner or scene.own,
        due_date=due,
    )


def test_an_item_goes_open_in_progress_done(scene: Scene) -> None:
    item = _item(scene)
    assert item.status == "open"
    item = services.action_item_transition(actor=scene.field, item=item, step="start")
    assert item.status == "in_progress"
    item = services.action_item_transition(actor=scene.field, item=item, step="complete")
    assert item.status == "done"
    assert AuditEvent.objects.filter(action="action_item.complete", object_id=str(item.pk)).exists()
    with pytest.raises(InvalidTransition) as refused:
        services.action_item_transition(actor=scene.field, item=item, step="start")
    assert "Start" in str(refused.value.message) and "done" in str(refused.value.message)
    assert refused.value.details["step"] == "start"


def test_dropping_and_reopening_need_a_reason(scene: Scene) -> None:
    item = _item(scene)
    with pytest.raises(ReasonRequired):
        services.action_item_transition(actor=scene.coordinator, item=item, step="drop")
    item = services.action_item_transition(
        actor=scene.coordinator, item=item, step="drop", reason="Done by another group"
    )
    assert (item.status, item.status_reason) == ("dropped", "Done by another group")
    with pytest.raises(ReasonRequired):
        services.action_item_transition(actor=scene.coordinator, item=item, step="reopen")


def test_only_the_owner_organisation_updates_an_item(scene: Scene) -> None:
    item = _item(scene, owner=scene.other)
    with pytest.raises(Forbidden):  # a field worker of OWN on OTHER's item
        services.action_item_transition(actor=scene.field, item=item, step="start")
    other_field = scene.user(Role.FIELD, organisation=scene.other)
    assert services.action_item_transition(actor=other_field, item=item, step="start")
    with pytest.raises(Forbidden):  # viewers update nothing
        services.action_item_transition(actor=scene.viewer, item=_item(scene), step="start")
    south_field = scene.user(Role.FIELD, area=scene.south)
    with pytest.raises(Forbidden):  # the meeting is outside the user's areas
        services.action_item_transition(actor=south_field, item=_item(scene), step="start")


def test_the_owner_contact_works_for_the_owner_organisation(scene: Scene) -> None:
    contact = services.contact_create(
        actor=scene.coordinator, organisation=scene.other, name="Aysel", areas=[scene.north]
    )
    with pytest.raises(InvalidInput):
        services.action_item_create(
            actor=scene.coordinator, meeting=scene.meeting, title="x",
            owner_organisation=scene.own, owner_contact=contact, due_date=dt.date(2023, 10, 1),
        )  # fmt: skip


def test_overdue_is_one_rule(scene: Scene) -> None:
    late = _item(scene, due=dt.date(2023, 9, 28))
    done = _item(scene, due=dt.date(2023, 9, 28))
    services.action_item_transition(actor=scene.coordinator, item=done, step="complete")
    dropped = _item(scene, due=dt.date(2023, 9, 28))
    services.action_item_transition(actor=scene.coordinator, item=dropped, step="drop", reason="x")
    due_today = _item(scene, due=dt.date(2023, 10, 2))
    on = dt.date(2023, 10, 2)
    overdue = list(selectors.action_item_overdue_list(actor=scene.coordinator, on=on))
    assert overdue == [late]
    for item in (late, done, dropped, due_today):
        item.refresh_from_db()
        assert selectors.action_item_is_overdue(item, on) == (item == late)


def test_links_to_what_an_item_caused(scene: Scene) -> None:
    item = _item(scene)
    with pytest.raises(InvalidInput):
        services.action_item_link(actor=scene.coordinator, item=item)
    decision = services.decision_record(
        actor=scene.coordinator, agenda_item=scene.meeting.agenda.first(), text="Fuel"
    )
    follow = services.decision_action_create(
        actor=scene.coordinator, decision=decision, title="Deliver fuel",
        owner_organisation=scene.own, due_date=dt.date(2023, 10, 5),
    )  # fmt: skip
    assert (follow.meeting, follow.decision) == (scene.meeting, decision)
    request = services.decision_request_create(
        actor=scene.coordinator, decision=decision, organisation=scene.own,
        facility=scene.school, lines=[services_line(scene)],
        needed_from=dt.date(2023, 10, 3), needed_by=dt.date(2023, 10, 20),
    )  # fmt: skip
    services.action_item_link(actor=scene.field, item=follow, requests=[request])
    assert list(follow.requests.all()) == [request]


def services_line(scene: Scene):  # type: ignore[no-untyped-def]
    from decimal import Decimal

    from reliefops.needs.services import LineInput

    return LineInput(quantity=Decimal(500), item=scene.diesel)
