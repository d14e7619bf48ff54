"""Meetings: scope of reads and writes, the agenda's order, decisions, attachments."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from reliefops.accounts.choices import Role
from reliefops.coordination import selectors, services
from reliefops.coordination.models import Meeting, WorkingGroup
from reliefops.core.errors import Forbidden, InvalidInput
from reliefops.core.models import AuditEvent
from tests.coordination.meeting_scene import Scene, starts

pytestmark = pytest.mark.django_db


def test_meetings_are_read_in_the_area_of_their_place(scene: Scene) -> None:
    assert list(selectors.meeting_list(actor=scene.viewer)) == [scene.meeting]
    assert set(selectors.meeting_list(actor=scene.coordinator)) == {
        scene.meeting,
        scene.south_meeting,
    }
    with pytest.raises(Exception) as refused:
        selectors.meeting_get(actor=scene.viewer, reference=scene.south_meeting.reference)
    assert refused.value.__class__.__name__ == "NotFound"
    assert scene.meeting.area == scene.north
    assert {o.acronym for o in scene.meeting.organisations.all()} == {"OWN", "OTHER"}


def test_a_partner_records_meetings_of_its_organisation_in_its_areas(scene: Scene) -> None:
    meeting = services.meeting_create(
        actor=scene.partner,
        title="Bilateral",
        kind="bilateral",
        organisation=scene.own,
        starts_at=starts(),
        place=scene.north_place,
    )
    assert meeting.reference.startswith("MTG-20230925-")
    assert AuditEvent.objects.filter(action="meeting.create", object_id=str(meeting.pk)).exists()
    with pytest.raises(Forbidden):  # another area
        services.meeting_create(
            actor=scene.partner, title="x", kind="bilateral", organisation=scene.own,
            starts_at=starts(), place=scene.south_place,
        )  # fmt: skip
    with pytest.raises(Forbidden):  # another organisation
        services.meeting_create(
            actor=scene.partner, title="x", kind="bilateral", organisation=scene.other,
            starts_at=starts(), place=scene.north_place,
        )  # fmt: skip
    with pytest.raises(Forbidden):  # moving it out of the partner's areas
        services.meeting_update(
            actor=scene.partner, meeting=meeting, title="x", kind="bilateral",
            organisation=scene.own, starts_at=starts(), place=scene.south_place,
        )  # fmt: skip
    with pytest.raises(Forbidden):  # viewers record nothing
        services.agenda_item_add(actor=scene.viewer, meeting=scene.meeting, title="x")


def test_writes_check_the_meeting_as_stored_not_the_callers_copy(scene: Scene) -> None:
    """A copy read before the meeting moved out of the partner's area (the write-scope
    property test found services trusting it) no longer lets the partner write there."""
    stale = Meeting.objects.get(pk=scene.meeting.pk)
    item = stale.agenda.order_by("position").first()
    assert item is not None
    services.meeting_update(
        actor=scene.admin, meeting=scene.meeting, title="Moved south", kind="bilateral",
        organisation=scene.own, starts_at=starts(), place=scene.south_place,
    )  # fmt: skip
    assert stale.area == scene.north  # the copy still says north
    writes = [
        lambda: services.agenda_item_add(actor=scene.partner, meeting=stale, title="x"),
        lambda: services.decision_record(actor=scene.partner, agenda_item=item, text="x"),
        lambda: services.action_item_create(
            actor=scene.partner, meeting=stale, title="x", owner_organisation=scene.own,
            due_date=starts().date(),
        ),
        lambda: services.meeting_update(
            actor=scene.partner, meeting=stale, title="x", kind="bilateral",
            organisation=scene.own, starts_at=starts(), place=scene.north_place,
        ),
    ]  # fmt: skip
    for write in writes:
        with pytest.raises(Forbidden):
            write()
    stored = Meeting.objects.get(pk=scene.meeting.pk)
    assert (stored.title, stored.area) == ("Moved south", scene.south)
    assert stored.agenda.count() == 2
    assert not stored.action_items.exists()


def test_a_meeting_cannot_end_before_it_starts(scene: Scene) -> None:
    with pytest.raises(InvalidInput) as refused:
        services.meeting_create(
            actor=scene.coordinator, title="x", kind="bilateral", organisation=scene.own,
            starts_at=starts(hour=12), ends_at=starts(hour=11), place=scene.north_place,
        )  # fmt: skip
    assert refused.value.details["field"] == "ends_at"


def test_the_agenda_keeps_its_order_when_an_item_moves(scene: Scene) -> None:
    added = services.agenda_item_add(actor=scene.coordinator, meeting=scene.meeting, title="AOB")
    assert added.position == 3
    services.agenda_item_move(actor=scene.coordinator, item=added, position=1)
    titles = list(scene.meeting.agenda.order_by("position").values_list("title", flat=True))
    assert titles == ["AOB", "Fuel for schools", "Food"]
    with pytest.raises(InvalidInput):
        services.agenda_item_move(actor=scene.coordinator, item=added, position=9)


def test_decisions_are_numbered_per_meeting(scene: Scene) -> None:
    first, second = scene.meeting.agenda.order_by("position")
    d1 = services.decision_record(actor=scene.coordinator, agenda_item=first, text="Fuel")
    d2 = services.decision_record(actor=scene.coordinator, agenda_item=second, text="Bread")
    assert d1.reference == f"{scene.meeting.reference}-D1"
    assert d2.reference == f"{scene.meeting.reference}-D2"
    assert list(selectors.decision_list(actor=scene.viewer)) == [d1, d2]
    south_item = scene.south_meeting.agenda.get()
    with pytest.raises(Forbidden):
        services.decision_record(actor=scene.partner, agenda_item=south_item, text="x")


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, format="PNG")
    return out.getvalue()


def test_attachments_are_checked_from_their_bytes(scene: Scene) -> None:
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    kept = services.meeting_attachment_add(
        actor=scene.coordinator,
        meeting=scene.meeting,
        upload=SimpleUploadedFile("../../minutes.pdf", pdf, content_type="image/png"),
    )
    assert (kept.content_type, kept.name, kept.size) == ("application/pdf", "minutes.pdf", len(pdf))
    assert kept.file.name.endswith(".pdf") and "minutes" not in kept.file.name
    image = services.meeting_attachment_add(
        actor=scene.coordinator,
        meeting=scene.meeting,
        upload=SimpleUploadedFile("board.png", _png(), content_type="application/pdf"),
    )
    assert image.content_type == "image/png"
    for name, content in (("a.exe", b"MZ\x90\x00 not allowed"), ("b.pdf", b"%PDF-1.4 cut")):
        with pytest.raises(InvalidInput):
            services.meeting_attachment_add(
                actor=scene.coordinator,
                meeting=scene.meeting,
                upload=SimpleUploadedFile(name, content),
            )
    assert scene.meeting.attachments.count() == 2


def test_working_groups_belong_to_a_headquarters(scene: Scene) -> None:
    assert scene.heating.parent == scene.hq
    assert {o.acronym for o in scene.heating.members.all()} == {"OWN", "OTHER"}
    with pytest.raises(InvalidInput):
        services.working_group_create(
            actor=scene.coordinator, code="WG-X", name="x", lead_organisation=scene.own,
            parent=scene.heating,
        )  # fmt: skip
    with pytest.raises(Forbidden):
        services.working_group_create(
            actor=scene.user(Role.PARTNER), code="WG-Y", name="y", lead_organisation=scene.own
        )
    assert not WorkingGroup.objects.filter(code__in=["WG-X", "WG-Y"]).exists()
