"""Writes of the item catalogue, kits, warehouses and lots."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from reliefops.core.actions import Action
from reliefops.core.audit import audit_record
from reliefops.core.errors import Conflict, InvalidInput
from reliefops.core.permissions import UNSCOPED, Actor, actor_user, require_write
from reliefops.stock.fields import ITEM
from reliefops.stock.models import (
    Item,
    KitComponent,
    Lot,
    Warehouse,
)
from reliefops.stock.services.ledger import InvalidQuantity

# --------------------------------------------------------------------------- catalogue

ITEM_FIELDS = ITEM.stored_names()


def _item_values(item: Item) -> dict[str, Any]:
    return {name: getattr(item, name) for name in ("code", *ITEM_FIELDS)}


def item_create(*, actor: Actor, code: str, **fields: Any) -> Item:
    require_write(actor, Action.ITEM_EDIT, area=UNSCOPED, organisation=UNSCOPED)
    code = code.strip()
    if not code:
        raise InvalidInput(_("An item needs a code."), field="code")
    if Item.objects.filter(code=code).exists():
        raise Conflict(_("An item with this code exists."), code="item_exists", item=code)
    unknown = set(fields) - set(ITEM_FIELDS)
    if unknown:
        raise InvalidInput(fields=sorted(unknown))
    with transaction.atomic():
        item = Item(code=code, created_by=actor_user(actor), updated_by=actor_user(actor), **fields)
        item.full_clean()
        item.save()
        audit_record(actor=actor, action="item.create", obj=item, after=_item_values(item))
    return item


def item_update(*, actor: Actor, item: Item, **fields: Any) -> Item:
    require_write(actor, Action.ITEM_EDIT, area=UNSCOPED, organisation=UNSCOPED)
    unknown = set(fields) - set(ITEM_FIELDS)
    if unknown:
        raise InvalidInput(fields=sorted(unknown))
    with transaction.atomic():
        before = {k: getattr(item, k) for k in fields}
        for key, value in fields.items():
            setattr(item, key, value)
        item.updated_by = actor_user(actor)
        item.full_clean()
        item.save()
        audit_record(
            actor=actor,
            action="item.update",
            obj=item,
            before=before,
            after={k: getattr(item, k) for k in fields},
        )
    return item


def item_upsert_bulk(*, actor: Actor, rows: Sequence[Mapping[str, Any]]) -> int:
    """Create or update items by code (bulk, for imports); ``rows`` hold code + ITEM_FIELDS.

    A row's ``components`` (``{code: quantity}``, or None to leave them) sets a kit's
    contents. Call inside a transaction.
    """
    require_write(actor, Action.ITEM_EDIT, area=UNSCOPED, organisation=UNSCOPED)
    author = actor_user(actor)
    codes = [r["code"] for r in rows]
    existing = {i.code: i for i in Item.objects.filter(code__in=codes)}
    to_create, to_update = [], []
    for row in rows:
        values = {k: row[k] for k in ITEM_FIELDS if k in row}
        item = existing.get(row["code"])
        if item is None:
            item = Item(code=row["code"], created_by=author, updated_by=author, **values)
            to_create.append(item)
            existing[item.code] = item
        else:
            for key, value in values.items():
                setattr(item, key, value)
            item.updated_by = author
            to_update.append(item)
    Item.objects.bulk_create(to_create, batch_size=1000)
    if to_update:
        Item.objects.bulk_update(to_update, [*ITEM_FIELDS, "updated_by"], batch_size=1000)
    kits = [r for r in rows if r.get("components") is not None]
    if kits:
        all_codes = {c for r in kits for c in r["components"]}
        by_code = {i.code: i for i in Item.objects.filter(code__in=all_codes | set(codes))}
        KitComponent.objects.filter(kit__code__in=[r["code"] for r in kits]).delete()
        KitComponent.objects.bulk_create(
            KitComponent(
                kit=by_code[r["code"]], component=by_code[c], quantity=q, created_by=author
            )
            for r in kits
            for c, q in r["components"].items()
        )
    audit_record(
        actor=actor,
        action="item.upsert_bulk",
        after={"created": len(to_create), "updated": len(to_update)},
    )
    return len(rows)


def kit_set_components(*, actor: Actor, kit: Item, components: Mapping[Item, Decimal]) -> Item:
    """Replace the contents of ``kit`` (quantities per kit, each item in its unit)."""
    require_write(actor, Action.ITEM_EDIT, area=UNSCOPED, organisation=UNSCOPED)
    if any(component.pk == kit.pk for component in components):
        raise InvalidInput(_("A kit cannot contain itself."), code="kit_cycle")
    if any(q <= 0 for q in components.values()):
        raise InvalidQuantity()
    with transaction.atomic():
        before = {c.component.code: c.quantity for c in kit.components.select_related("component")}
        kit.components.all().delete()
        KitComponent.objects.bulk_create(
            KitComponent(kit=kit, component=c, quantity=q, created_by=actor_user(actor))
            for c, q in components.items()
        )
        if not kit.is_kit:
            kit.is_kit = True
            kit.save(update_fields=["is_kit", "updated_at"])
        audit_record(
            actor=actor,
            action="item.kit_set",
            obj=kit,
            before=before,
            after={c.code: q for c, q in components.items()},
        )
    return kit


# --------------------------------------------------------------------------- warehouses


def _warehouse_scope(warehouse: Warehouse) -> dict[str, Any]:
    return {"area": warehouse.facility.place.admin1, "organisation": warehouse.organisation}


def warehouse_create(*, actor: Actor, facility: Any, organisation: Any = None) -> Warehouse:
    """The warehouse at ``facility`` (``facility.edit`` in the facility's area)."""
    require_write(actor, Action.FACILITY_EDIT, area=facility.place.admin1, organisation=UNSCOPED)
    with transaction.atomic():
        warehouse, created = Warehouse.objects.get_or_create(
            facility=facility,
            defaults={
                "organisation": organisation or facility.operator,
                "created_by": actor_user(actor),
            },
        )
        if created:
            audit_record(actor=actor, action="warehouse.create", obj=warehouse)
    return warehouse


def _lot_get_or_create(
    *, item: Item, code: str = "", expiry_date: dt.date | None = None, donor: Any = None
) -> Lot:
    """The lot ``code`` of ``item``; a conflicting expiry for an existing lot is refused.

    Lots are shared reference data written only inside the checked stock services.
    """
    lot, created = Lot.objects.get_or_create(
        item=item, code=code.strip(), defaults={"expiry_date": expiry_date, "donor": donor}
    )
    if not created and expiry_date and lot.expiry_date and lot.expiry_date != expiry_date:
        raise Conflict(
            _("Lot %(lot)s already exists with another expiry date.") % {"lot": code},
            code="lot_expiry_conflict",
            lot=code,
            expiry_date=lot.expiry_date,
        )
    if not created and expiry_date and lot.expiry_date is None:
        lot.expiry_date = expiry_date
        lot.save(update_fields=["expiry_date", "updated_at"])
    return lot
