"""The contacts directory: visible by role and area; phone and e-mail encrypted at rest,
shown only to roles that may see them, and each showing audited."""

from __future__ import annotations

import pytest
from django.db import connection

from reliefops.accounts.choices import Role
from reliefops.coordination import selectors, services
from reliefops.core.errors import Forbidden, InvalidInput
from reliefops.core.models import AuditEvent
from tests.coordination.meeting_scene import Scene

pytestmark = pytest.mark.django_db

PHONE, EMAIL = "+994 50 123 45 67", "aysel@example.org"


def _contact(scene: Scene, **changes):  # type: ignore[no-untyped-def]
    data = {
        "organisation": scene.own,
        "name": "Aysel",
        "title": "Heating focal point",
        "phone": PHONE,
        "email": EMAIL,
        "languages": ["az", "ru"],
        "areas": [scene.north],
    }
    return services.contact_create(actor=scene.coordinator, **{**data, **changes})


def test_details_are_encrypted_in_the_database_and_not_in_the_history(scene: Scene) -> None:
    contact = _contact(scene)
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone, email FROM coordination_contact WHERE id = %s", [contact.pk])
        phone, email = cursor.fetchone()
    assert PHONE not in phone and EMAIL not in email and phone.startswith("gAAAA")
    history = [f.name for f in contact.history.model._meta.fields]
    assert "phone" not in history and "email" not in history
    event = AuditEvent.objects.get(action="contact.create", object_id=str(contact.pk))
    assert PHONE not in str(event.after) and EMAIL not in str(event.after)


def test_details_are_shown_to_roles_that_may_see_them_and_logged(scene: Scene) -> None:
    contact = _contact(scene)
    shown = services.contact_details_reveal(actor=scene.field, contact=contact)
    assert shown == {"phone": PHONE, "email": EMAIL}
    event = AuditEvent.objects.get(action="contact.view_details", object_id=str(contact.pk))
    assert event.actor == scene.field and event.after == {"fields": ["phone", "email"]}
    assert contact in selectors.contact_list(actor=scene.viewer)  # the name is listed …
    with pytest.raises(Forbidden):  # … the details are not shown to a viewer
        services.contact_details_reveal(actor=scene.viewer, contact=contact)
    south_field = scene.user(Role.FIELD, area=scene.south, organisation=scene.other)
    assert contact not in selectors.contact_list(actor=south_field)
    with pytest.raises(Forbidden):
        services.contact_details_reveal(actor=south_field, contact=contact)
    assert AuditEvent.objects.filter(action="contact.view_details").count() == 1


def test_visibility_by_area_and_organisation(scene: Scene) -> None:
    north = _contact(scene)
    headquarters = _contact(scene, name="HQ desk", areas=[])
    south = _contact(scene, name="South", organisation=scene.other, areas=[scene.south])
    own_south = _contact(scene, name="Own in the south", areas=[scene.south])
    seen = set(selectors.contact_list(actor=scene.viewer))
    assert seen == {north, headquarters, own_south}
    assert south in selectors.contact_list(actor=scene.coordinator)


def test_writes_are_scoped_and_checked(scene: Scene) -> None:
    with pytest.raises(Forbidden):  # a partner, another organisation
        services.contact_create(
            actor=scene.partner, organisation=scene.other, name="x", areas=[scene.north]
        )
    with pytest.raises(Forbidden):  # a partner, no area: a headquarters contact
        services.contact_create(actor=scene.partner, organisation=scene.own, name="x")
    with pytest.raises(InvalidInput):
        _contact(scene, languages=["xx"])
    contact = services.contact_create(
        actor=scene.partner, organisation=scene.own, name="Own", areas=[scene.north]
    )
    with pytest.raises(Forbidden):  # moving it to an area outside the partner's
        services.contact_update(
            actor=scene.partner, contact=contact, organisation=scene.own, name="Own",
            areas=[scene.south],
        )  # fmt: skip
    kept = services.contact_update(
        actor=scene.partner,
        contact=contact,
        organisation=scene.own,
        name="Own",
        phone="123",
        areas=[scene.north],
    )
    kept.refresh_from_db()
    assert kept.phone == "123"
    again = services.contact_update(
        actor=scene.coordinator, contact=kept, organisation=scene.own, name="Own 2"
    )
    again.refresh_from_db()
    assert again.phone == "123"  # None keeps the stored value
