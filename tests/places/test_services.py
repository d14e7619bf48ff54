"""Services of the places domain: permissions, validation, history, names map."""

from __future__ import annotations

import pytest

from reliefops.core.errors import Conflict, Forbidden, InvalidInput
from reliefops.places.services import (
    NameInput,
    facility_set_status,
    place_create,
    place_name_add,
)
from tests.accounts.factories import make_user
from tests.places.factories import AdminAreaFactory, FacilityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def areas():  # type: ignore[no-untyped-def]
    country = AdminAreaFactory(code="AZ", level=0)
    return {
        "a": AdminAreaFactory(code="AZ-TA", level=1, parent=country),
        "b": AdminAreaFactory(code="AZ-TB", level=1, parent=country),
    }


def test_place_create_checks_area_scope_coordinates_and_codes(areas) -> None:  # type: ignore[no-untyped-def]
    coordinator = make_user("coordinator", areas=[areas["a"]])
    names = [NameInput("Badara", "en"), NameInput("Bədərə", "az", is_preferred=True)]
    place = place_create(
        actor=coordinator,
        code="AZ-T1",
        kind="village",
        latitude=39.9,
        longitude=46.77,
        names=names,
        admin_code="AZ-TA",
    )
    assert place.admin1 == areas["a"] and place.admin0.code == "AZ"
    assert place.names == {"en": "Badara", "az": "Bədərə"}
    assert {n.script for n in place.place_names.all()} == {"Latn"}
    with pytest.raises(Forbidden):
        place_create(
            actor=coordinator,
            code="AZ-T2",
            kind="village",
            latitude=39.9,
            longitude=46.77,
            names=names,
            admin_code="AZ-TB",
        )
    with pytest.raises(InvalidInput):
        place_create(
            actor=coordinator,
            code="AZ-T3",
            kind="village",
            latitude=99,
            longitude=46.77,
            names=names,
            admin_code="AZ-TA",
        )
    with pytest.raises(Conflict):
        place_create(
            actor=coordinator,
            code="AZ-T1",
            kind="village",
            latitude=39.9,
            longitude=46.77,
            names=names,
            admin_code="AZ-TA",
        )
    with pytest.raises(Forbidden):
        place_name_add(actor=make_user("viewer"), place=place, name=NameInput("X", "en"))


def test_name_added_in_new_language_becomes_its_display_name(areas) -> None:  # type: ignore[no-untyped-def]
    admin = make_user("admin")
    place = place_create(
        actor=admin,
        code="AZ-T9",
        kind="town",
        latitude=39.6,
        longitude=46.5,
        names=[NameInput("Lachin", "en")],
        admin_code="AZ-TA",
    )
    place_name_add(actor=admin, place=place, name=NameInput("Բերձոր", "hy", "alternate"))
    place.refresh_from_db()
    assert place.name_in("hy") == "Բերձոր" and place.name_in("ru") == "Lachin"
    row = place.place_names.get(language="hy")
    assert row.script == "Armn" and row.name_type == "alternate"


def test_facility_status_needs_reason_and_keeps_history(areas, api_client) -> None:  # type: ignore[no-untyped-def]
    facility = FacilityFactory(place__admin1=areas["a"])
    officer = make_user("logistics", areas=[areas["a"]])
    with pytest.raises(InvalidInput):
        facility_set_status(actor=officer, facility=facility, status="damaged")
    with pytest.raises(Forbidden):
        facility_set_status(
            actor=make_user("logistics", areas=[areas["b"]]),
            facility=facility,
            status="damaged",
            reason="Roof",
        )
    facility_set_status(actor=officer, facility=facility, status="damaged", reason="Roof")
    api_client.force_authenticate(officer)
    response = api_client.post(
        f"/api/v1/facilities/{facility.code}/status/", {"status": "operating"}, format="json"
    )
    assert response.status_code == 200 and response.json()["status"] == "operating"
    statuses = list(facility.history.order_by("-history_date").values_list("status", flat=True))
    assert statuses[:2] == ["operating", "damaged"]
