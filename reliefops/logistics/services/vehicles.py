"""Writes of the fleet: vehicles and drivers.

Every write checks ``vehicle.edit`` for the vehicle's owner organisation (the fleet is
not about an area: ``area=UNSCOPED``); a change of owner needs it for both owners. The
fields a vehicle write may set are the declared field list's (``fields.VEHICLE``) plus
its usual driver, who must be a driver of the owner. A driver's phone and licence are
personal data: they never reach the audit trail (its entry names the driver by id).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from reliefops.core.actions import Action
from reliefops.core.audit import audit_record
from reliefops.core.errors import Conflict, InvalidInput
from reliefops.core.permissions import UNCHANGED, UNSCOPED, Actor, actor_user, require_write
from reliefops.logistics.fields import VEHICLE, item_classes_problem, parse_registration
from reliefops.logistics.models import Driver, Vehicle

#: What a vehicle write may set (the registration is the key, set on create only).
VEHICLE_FIELDS = (*VEHICLE.stored_names(), "driver")
_BULK_FIELDS = [name for name in VEHICLE_FIELDS if name != "driver"]


def _registration(text: str) -> str:
    try:
        value = parse_registration(text or "")
    except ValueError as exc:
        raise InvalidInput(str(exc), field="registration") from None
    if not value:
        raise InvalidInput(_("A vehicle needs a registration."), field="registration")
    return value


def _unknown_fields(fields: Mapping[str, Any]) -> None:
    unknown = set(fields) - set(VEHICLE_FIELDS)
    if unknown:
        raise InvalidInput(fields={name: [_("Not a field of a vehicle.")] for name in unknown})


def _clean(vehicle: Vehicle) -> None:
    """The model's own checks and the fleet's rules, as an InvalidInput naming fields."""
    if vehicle.item_classes is None:
        vehicle.item_classes = []
    problem = item_classes_problem(vehicle.kind, vehicle.item_classes)
    if problem:
        raise InvalidInput(problem, field="item_classes")
    if vehicle.driver is not None and vehicle.driver.organisation_id != vehicle.organisation_id:
        raise InvalidInput(_("The driver is not a driver of the vehicle's owner."), field="driver")
    try:
        vehicle.full_clean(validate_unique=False)
    except ValidationError as exc:
        raise InvalidInput(fields=exc.message_dict) from None


def _values(vehicle: Vehicle, names: Sequence[str]) -> dict[str, Any]:
    """Audit values: related records by their code, never a driver's name."""
    result: dict[str, Any] = {}
    for name in names:
        value = getattr(vehicle, name)
        if name == "organisation":
            value = value.acronym
        elif name == "base":
            value = value.code if value is not None else None
        elif name == "driver":
            value = str(value.pk) if value is not None else None
        result[name] = value
    return result


def vehicle_create(*, actor: Actor, registration: str, organisation: Any, **fields: Any) -> Vehicle:
    """A new vehicle of ``organisation`` (``vehicle.edit`` for that organisation)."""
    require_write(actor, Action.VEHICLE_EDIT, area=UNSCOPED, organisation=organisation)
    registration = _registration(registration)
    _unknown_fields(fields)
    if Vehicle.objects.filter(registration=registration).exists():
        raise Conflict(
            _("A vehicle with this registration exists."),
            code="vehicle_exists",
            registration=registration,
        )
    author = actor_user(actor)
    with transaction.atomic():
        vehicle = Vehicle(
            registration=registration,
            organisation=organisation,
            created_by=author,
            updated_by=author,
            **fields,
        )
        _clean(vehicle)
        vehicle.save()
        audit_record(
            actor=actor,
            action="vehicle.create",
            obj=vehicle,
            after=_values(vehicle, ("registration", *VEHICLE_FIELDS)),
        )
    return vehicle


def vehicle_update(*, actor: Actor, vehicle: Vehicle, **fields: Any) -> Vehicle:
    """Change a vehicle; a new owner (``organisation``) needs ``vehicle.edit`` for both."""
    _unknown_fields(fields)
    new_owner = fields.get("organisation", UNCHANGED)
    require_write(
        actor,
        Action.VEHICLE_EDIT,
        area=UNSCOPED,
        organisation=vehicle.organisation,
        new_organisation=new_owner,
    )
    changed = _copy(vehicle)  # the caller's instance changes only once it is saved
    for name, value in fields.items():
        setattr(changed, name, value)
    changed.updated_by = actor_user(actor)
    _clean(changed)
    with transaction.atomic():
        before = _values(vehicle, list(fields))
        changed.save()
        audit_record(
            actor=actor,
            action="vehicle.update",
            obj=changed,
            before=before,
            after=_values(changed, list(fields)),
        )
    for name in (*fields, "updated_by", "updated_at"):
        setattr(vehicle, name, getattr(changed, name))
    return vehicle


def _copy(vehicle: Vehicle) -> Vehicle:
    """A separate instance of the saved ``vehicle`` (changing it leaves ``vehicle`` be)."""
    copy = Vehicle(
        **{f.attname: getattr(vehicle, f.attname) for f in Vehicle._meta.concrete_fields}
    )
    copy._state.adding = vehicle._state.adding
    return copy


def _row_vehicle(actor: Actor, row: Mapping[str, Any], existing: Vehicle | None) -> Vehicle:
    """The vehicle ``row`` makes (a new, unsaved one, or a copy of ``existing`` with the
    row's values), after the scope check and the fleet's rules; ``existing`` is untouched."""
    values = {name: row[name] for name in _BULK_FIELDS if name in row}
    if values.get("item_classes") is None:
        values.pop("item_classes", None)
    if existing is None:
        require_write(
            actor, Action.VEHICLE_EDIT, area=UNSCOPED, organisation=values.get("organisation")
        )
        vehicle = Vehicle(registration=_registration(row["registration"]), **values)
    else:
        require_write(
            actor,
            Action.VEHICLE_EDIT,
            area=UNSCOPED,
            organisation=existing.organisation,
            new_organisation=values.get("organisation", UNCHANGED),
        )
        vehicle = _copy(existing)
        for name, value in values.items():
            setattr(vehicle, name, value)
        # A new owner does not bring the old owner's driver (files carry no driver).
        if vehicle.driver is not None and vehicle.driver.organisation_id != (
            vehicle.organisation_id
        ):
            vehicle.driver = None
    _clean(vehicle)
    return vehicle


def vehicle_import_check(
    *, actor: Actor, row: Mapping[str, Any], existing: Vehicle | None = None
) -> None:
    """Raise what :func:`vehicle_upsert_bulk` would raise for ``row`` (Forbidden, or an
    InvalidInput naming the field); writes nothing. The vehicle import checks each row
    with it, so a refused row is a row error and not a failed import."""
    _row_vehicle(actor, row, existing)


def vehicle_upsert_bulk(*, actor: Actor, rows: Sequence[Mapping[str, Any]]) -> int:
    """Create or update vehicles by registration (bulk, for imports); ``rows`` hold the
    registration and fields of ``fields.VEHICLE`` (owner and base as records). Each row
    is checked as :func:`vehicle_create` / :func:`vehicle_update` check it; one refusal
    refuses all. A vehicle given a new owner loses its usual driver. Call inside a
    transaction; returns the number of vehicles written."""
    registrations = [_registration(row["registration"]) for row in rows]
    existing = {
        v.registration: v
        for v in Vehicle.objects.filter(registration__in=registrations).select_related(
            "organisation", "driver"
        )
    }
    author = actor_user(actor)
    to_create: dict[str, Vehicle] = {}
    to_update: dict[str, Vehicle] = {}
    for registration, row in zip(registrations, rows, strict=True):
        vehicle = _row_vehicle(
            actor, {**row, "registration": registration}, existing.get(registration)
        )
        vehicle.updated_by = author
        if registration in to_create or registration not in existing:  # a new vehicle
            vehicle.created_by = author
            to_create[registration] = vehicle
        else:
            to_update[registration] = vehicle
        existing[registration] = vehicle
    Vehicle.objects.bulk_create(to_create.values(), batch_size=500)
    if to_update:
        Vehicle.objects.bulk_update(
            to_update.values(), [*_BULK_FIELDS, "driver", "updated_by"], batch_size=500
        )
    audit_record(
        actor=actor,
        action="vehicle.upsert_bulk",
        after={"created": sorted(to_create), "updated": sorted(to_update)},
    )
    return len(to_create) + len(to_update)


def driver_create(
    *,
    actor: Actor,
    organisation: Any,
    name: str,
    phone: str = "",
    licence_number: str = "",
    languages: str = "",
) -> Driver:
    """A driver of ``organisation`` (``vehicle.edit`` for that organisation)."""
    require_write(actor, Action.VEHICLE_EDIT, area=UNSCOPED, organisation=organisation)
    name = (name or "").strip()
    if not name:
        raise InvalidInput(_("A driver needs a name."), field="name")
    author = actor_user(actor)
    with transaction.atomic():
        driver = Driver(
            organisation=organisation,
            name=name,
            phone=(phone or "").strip(),
            licence_number=(licence_number or "").strip(),
            languages=(languages or "").strip(),
            created_by=author,
            updated_by=author,
        )
        try:
            driver.full_clean()
        except ValidationError as exc:
            raise InvalidInput(fields=exc.message_dict) from None
        driver.save()
        # Personal data stays out of the audit trail: the entry names the driver by id.
        audit_record(
            actor=actor,
            action="driver.create",
            after={"driver": str(driver.pk), "organisation": organisation.acronym},
        )
    return driver
