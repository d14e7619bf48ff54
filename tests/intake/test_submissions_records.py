"""``record_apply``: one record through a kind's importer, as a file row is applied.

The kind here is the fleet's real importer (``vehicles``) opened to submissions under a
test kind of its own, so these tests need no other helper's importer; the submissions
API's tests use the field kinds.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from reliefops.core import exchange as ex
from reliefops.core.errors import Forbidden
from reliefops.core.exchange import registry
from reliefops.logistics.exchange import VehicleExporter, VehicleImporter
from reliefops.logistics.models import Vehicle
from tests.accounts.factories import OrganisationFactory, make_user

pytestmark = pytest.mark.django_db

KIND = "test-vehicle-records"


class SubmittedVehicles(VehicleImporter):
    submissions = True


class ClosedVehicles(VehicleImporter):
    submissions = False


@pytest.fixture(autouse=True)
def kinds() -> Iterator[None]:
    ex.register(KIND, importer=SubmittedVehicles, exporter=VehicleExporter, label="test")
    ex.register(KIND + "-closed", importer=ClosedVehicles, label="test")
    yield
    registry._REGISTRY.pop(KIND, None)
    registry._REGISTRY.pop(KIND + "-closed", None)


@pytest.fixture
def logistics() -> Any:
    return make_user("logistics", organisation=OrganisationFactory(acronym="LOGNGO"))


def vehicle(**extra: Any) -> dict[str, Any]:
    return {
        "registration": "10-AB-123",
        "kind": "truck",
        "owner": "LOGNGO",
        "capacity_kg": 12000,
        "item_classes": ["food", "water"],
        **extra,
    }


def test_created_then_unchanged_then_updated(logistics: Any) -> None:
    first = ex.record_apply(KIND, actor=logistics, data=vehicle())
    assert (first.outcome, first.key, first.written) == ("created", "10-AB-123", 1)
    stored = Vehicle.objects.get(registration="10-AB-123")
    assert sorted(stored.item_classes) == ["food", "water"]
    again = ex.record_apply(KIND, actor=logistics, data=vehicle())
    assert (again.outcome, again.written) == ("unchanged", 0)
    changed = ex.record_apply(KIND, actor=logistics, data=vehicle(capacity_kg=9000.5))
    assert changed.outcome == "updated"
    stored.refresh_from_db()
    assert float(stored.capacity_kg) == 9000.5
    assert Vehicle.objects.count() == 1


def test_a_refused_cell_names_the_field_and_writes_nothing(logistics: Any) -> None:
    with pytest.raises(ex.RecordInvalid) as caught:
        ex.record_apply(KIND, actor=logistics, data=vehicle(capacity_kg="heavy"))
    assert caught.value.details["field"] == "capacity_kg"
    assert "capacity_kg" in caught.value.details["fields"]
    with pytest.raises(ex.RecordInvalid) as missing:
        ex.record_apply(KIND, actor=logistics, data={"registration": "10-AB-124"})
    assert {"kind", "owner", "capacity_kg"} <= set(missing.value.details["fields"])
    with pytest.raises(ex.RecordInvalid) as unknown:
        ex.record_apply(KIND, actor=logistics, data=vehicle(colour="red"))
    assert unknown.value.details["field"] == "colour"
    with pytest.raises(ex.RecordInvalid) as nested:
        ex.record_apply(KIND, actor=logistics, data=vehicle(item_classes=[["food"]]))
    assert nested.value.details["field"] == "item_classes"
    assert not Vehicle.objects.exists()


def test_kinds_and_permissions(logistics: Any) -> None:
    with pytest.raises(ex.UnknownKind):
        ex.record_apply("no-such-kind", actor=logistics, data=vehicle())
    with pytest.raises(ex.SubmissionsNotAccepted):
        ex.record_apply(KIND + "-closed", actor=logistics, data=vehicle())
    viewer = make_user("viewer", organisation=OrganisationFactory(acronym="LOGNGO"))
    with pytest.raises(Forbidden):
        ex.record_apply(KIND, actor=viewer, data=vehicle())
    other = make_user("logistics", organisation=OrganisationFactory(acronym="OTHERNGO"))
    with pytest.raises(ex.RecordInvalid):  # the importer's own scope check, as a cell error
        ex.record_apply(KIND, actor=other, data=vehicle())
    assert not Vehicle.objects.exists()
    assert KIND in {e.kind for e in ex.submission_kinds()}
    assert KIND + "-closed" not in {e.kind for e in ex.submission_kinds()}


def test_create_mode_refuses_an_existing_record(logistics: Any) -> None:
    ex.record_apply(KIND, actor=logistics, data=vehicle())
    with pytest.raises(ex.RecordInvalid) as caught:
        ex.record_apply(KIND, actor=logistics, data=vehicle(), mode=ex.MODE_CREATE)
    assert caught.value.details["field"] == "registration"


def test_record_text() -> None:
    column = ex.Column("x", render=lambda v: ";".join(v))
    assert ex.record_text(None) == ""
    assert ex.record_text(True) == "true"
    assert ex.record_text(12) == "12"
    assert ex.record_text(0.25) == "0.25"
    assert ex.record_text(["a", 2, False], column) == "a;2;false"
    assert ex.record_text("=1+1") == "=1+1"
