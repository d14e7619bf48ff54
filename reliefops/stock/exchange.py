"""Bulk exchange of the stock domain: items, stock (counts / balances) and pledges.

``items``   the catalogue; a kit's ``components`` is ``CODE:quantity;CODE:quantity`` (the
            components must exist or come earlier in the file). Upserts by code.
``stock``   import = physical counts (warehouse, item, lot → counted quantity; a count
            that differs from the balance posts a count adjustment through the ledger);
            export = balances on hand, which re-import as counts to the same balances.
``pledges`` the pipeline; upserts by (donor, reference).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reliefops.core import exchange as ex
from reliefops.core.actions import Action
from reliefops.core.errors import ApplicationError, Forbidden
from reliefops.core.permissions import can_write, user_can
from reliefops.organisations.selectors import organisations_by_acronym
from reliefops.stock import services
from reliefops.stock.fields import ITEM, PLEDGE, STOCK_COUNT
from reliefops.stock.filtersets import (
    BalanceFilterSet,
    ItemFilterSet,
    PledgeFilterSet,
    TransactionFilterSet,
)
from reliefops.stock.models import Item, KitComponent, Lot, Pledge, StockBalance, Warehouse
from reliefops.stock.selectors import (
    item_list,
    pledge_list,
    stock_balance_list,
    stock_transaction_list,
)

ITEM_COLUMNS = ITEM.columns()


class ItemImporter(ex.Importer):
    columns = ITEM_COLUMNS
    permission = Action.ITEM_EDIT
    description = "Item catalogue (upsert by code)"
    key_columns = ("code",)

    def prepare(self) -> None:
        self.items = {i.code: i for i in Item.objects.all()}
        self.known = set(self.items)
        self.components: dict[Any, dict[str, Decimal]] = {}
        for kc in KitComponent.objects.select_related("component"):
            self.components.setdefault(kc.kit_id, {})[kc.component.code] = kc.quantity
        self.seen: set[str] = set()

    def lookup(self, key: Any) -> Item | None:
        return self.items.get(key[0])

    def current(self, record: Any) -> dict[str, Any]:
        values = {name: getattr(record, name) for name in ITEM.stored_names()}
        values["components"] = self.components.get(record.pk)
        return values

    def clean(self, data: dict[str, Any], row: int) -> dict[str, Any]:
        code = data["code"]
        if code in self.seen:
            raise ex.CellError("code", _("This code appears twice in the file."))
        self.seen.add(code)
        components = data.pop("components")
        if components:
            missing = [c for c in components if c not in self.known and c not in self.seen]
            if missing:
                raise ex.CellError(
                    "components",
                    _("Unknown item codes: %(codes)s (list them before the kit).")
                    % {"codes": ", ".join(missing)},
                )
            if code in components:
                raise ex.CellError("components", _("A kit cannot contain itself."))
        if data["shelf_life_days"] is not None and data["shelf_life_days"] < 0:
            raise ex.CellError("shelf_life_days", _("Must not be negative."))
        return {
            **ITEM.row_values(data),
            "components": components or None,
            "is_kit": bool(components),
        }

    def apply(self, rows: list[dict[str, Any]]) -> int:
        return services.item_upsert_bulk(actor=self.actor, rows=rows)


class ItemExporter(ex.Exporter):
    columns = ITEM_COLUMNS
    filterset = ItemFilterSet

    def rows(self) -> Iterator[dict[str, Any]]:
        components: dict[Any, dict[str, Decimal]] = {}
        for kc in KitComponent.objects.select_related("component"):
            components.setdefault(kc.kit_id, {})[kc.component.code] = kc.quantity
        items = sorted(
            self.filtered(item_list(actor=self.actor)), key=lambda i: (i.pk in components, i.code)
        )
        for item in items:
            yield ITEM.row_cells(item, components=components.get(item.pk))


# --------------------------------------------------------------------------- stock counts

STOCK_COLUMNS = STOCK_COUNT.columns()


class StockCountImporter(ex.Importer):
    columns = STOCK_COLUMNS
    permission = Action.STOCK_COUNT
    description = "Stock counts (warehouse × item × lot → counted quantity)"
    chunk_size = 5000
    key_columns = ("warehouse", "item", "lot")

    def prepare(self) -> None:
        self.warehouses = {
            w.facility.code: w
            for w in Warehouse.objects.select_related("facility__place__admin1", "organisation")
        }
        self.items = {i.code: i for i in Item.objects.all()}
        self.donors = organisations_by_acronym()
        self.lots = {(lot.item_id, lot.code): lot for lot in Lot.objects.all()}
        self.allowed: dict[Any, bool] = {}
        self.seen: set[tuple[str, str, str]] = set()
        self.balances = {
            (b["warehouse__facility__code"], b["item__code"], b["lot__code"]): b["quantity"]
            for b in StockBalance.objects.values(
                "warehouse__facility__code", "item__code", "lot__code", "quantity"
            )
        }

    def record_key(self, data: dict[str, Any]) -> Any:
        return (data["warehouse"].facility.code, data["item"].code, data["lot"] or "")

    def lookup(self, key: Any) -> Decimal | None:
        """The balance on hand (a count of a balance that does not exist creates it)."""
        return self.balances.get(key)

    def current(self, record: Any) -> dict[str, Any]:
        return {"quantity": record}

    def clean(self, data: dict[str, Any], row: int) -> dict[str, Any]:
        warehouse = self.warehouses.get(data["warehouse"])
        if warehouse is None:
            raise ex.CellError("warehouse", _("No warehouse with this facility code."))
        if warehouse.pk not in self.allowed:
            self.allowed[warehouse.pk] = can_write(
                self.actor,
                Action.STOCK_COUNT,
                area=warehouse.facility.place.admin1,
                organisation=warehouse.organisation,
            )
        if not self.allowed[warehouse.pk]:
            raise ex.CellError("warehouse", _("You may not count stock in this warehouse."))
        item = self.items.get(data["item"])
        if item is None:
            raise ex.CellError("item", _("No item with this code."))
        donor = None
        if data["donor"]:
            donor = self.donors.get(data["donor"])
            if donor is None:
                raise ex.CellError("donor", _("No organisation with this acronym."))
        key = (data["warehouse"], data["item"], data["lot"])
        if key in self.seen:
            raise ex.CellError("lot", _("This warehouse, item and lot appear twice."))
        self.seen.add(key)
        lot = self.lots.get((item.pk, data["lot"]))
        if (
            lot is not None
            and data["expiry_date"]
            and lot.expiry_date
            and (lot.expiry_date != data["expiry_date"])
        ):
            raise ex.CellError(
                "expiry_date", _("The lot exists with expiry %(date)s.") % {"date": lot.expiry_date}
            )
        return {**data, "warehouse": warehouse, "item": item, "donor": donor}

    def apply(self, rows: list[dict[str, Any]]) -> int:
        wanted = {
            (row["item"].pk, row["lot"]): (
                row["item"],
                row["lot"],
                row["expiry_date"],
                row["donor"],
            )
            for row in rows
            if (row["item"].pk, row["lot"]) not in self.lots
        }
        if wanted:
            self.lots.update(services.stock_lots_ensure(actor=self.actor, lots=wanted.values()))
        counts = [
            services.StockCount(
                row["warehouse"],
                self.lots[(row["item"].pk, row["lot"])],
                row["quantity"],
                row["reference"],
                "imported count",
            )
            for row in rows
        ]
        # What was written: the count adjustments posted (a matching count posts none).
        return services.stock_count_bulk(actor=self.actor, counts=counts)


class StockExporter(ex.Exporter):
    columns = STOCK_COLUMNS
    filterset = BalanceFilterSet

    def rows(self) -> Iterator[dict[str, Any]]:
        balances = self.filtered(stock_balance_list(actor=self.actor)).select_related("lot__donor")
        for b in balances.iterator(chunk_size=2000):
            yield STOCK_COUNT.row_cells(
                b,
                warehouse=b.warehouse.facility.code,
                item=b.item.code,
                lot=b.lot.code,
                expiry_date=b.lot.expiry_date,
                donor=b.lot.donor.acronym if b.lot.donor else "",
                reference="",
            )


# --------------------------------------------------------------------------- pledges

PLEDGE_COLUMNS = PLEDGE.columns()


class PledgeImporter(ex.Importer):
    columns = PLEDGE_COLUMNS
    permission = Action.PLEDGE_EDIT
    description = "Pledges (upsert by donor and reference)"
    key_columns = ("donor", "reference")

    def prepare(self) -> None:
        self.warehouses = {
            w.facility.code: w for w in Warehouse.objects.select_related("facility__place__admin1")
        }
        self.items = {i.code: i for i in Item.objects.all()}
        self.donors = organisations_by_acronym()
        self.existing = {
            (p.donor_id, p.reference): p
            for p in Pledge.objects.exclude(reference="").select_related(
                "donor", "warehouse__facility__place__admin1"
            )
        }
        self.seen: set[tuple[str, str]] = set()

    def record_key(self, data: dict[str, Any]) -> Any:
        return (data["donor"].acronym, data["reference"]) if data["reference"] else None

    def lookup(self, key: Any) -> Pledge | None:
        donor = self.donors.get(key[0])
        return self.existing.get((donor.pk, key[1])) if donor is not None else None

    def current(self, record: Any) -> dict[str, Any]:
        return {name: getattr(record, name) for name in PLEDGE.stored_names()}

    def _scope_check(self, clean: dict[str, Any]) -> None:
        """The service's check on this row (scope at both destinations, the status change
        through the pledge workflow: ``received`` only by a receipt), as a row error."""
        existing = (
            self.existing.get((clean["donor"].pk, clean["reference"]))
            if clean["reference"]
            else None
        )
        try:
            services.pledge_import_check(actor=self.actor, row=clean, existing=existing)
        except Forbidden as exc:
            raise ex.CellError(
                "warehouse", _("You may not record pledges for this warehouse.")
            ) from exc
        except ApplicationError as exc:
            raise ex.CellError("status", str(exc.message)) from exc

    def clean(self, data: dict[str, Any], row: int) -> dict[str, Any]:
        donor = self.donors.get(data["donor"])
        if donor is None:
            raise ex.CellError("donor", _("No organisation with this acronym."))
        if not user_can(self.actor, Action.PLEDGE_EDIT, organisation=donor):
            raise ex.CellError("donor", _("You may not record pledges for this organisation."))
        item = self.items.get(data["item"])
        if item is None:
            raise ex.CellError("item", _("No item with this code."))
        warehouse = None
        if data["warehouse"]:
            warehouse = self.warehouses.get(data["warehouse"])
            if warehouse is None:
                raise ex.CellError("warehouse", _("No warehouse with this facility code."))
        if data["reference"]:
            key = (data["donor"], data["reference"])
            if key in self.seen:
                raise ex.CellError("reference", _("This donor and reference appear twice."))
            self.seen.add(key)
        clean = {**data, "donor": donor, "item": item, "warehouse": warehouse}
        self._scope_check(clean)
        return clean

    def apply(self, rows: list[dict[str, Any]]) -> int:
        return services.pledge_upsert_bulk(actor=self.actor, rows=rows)


class PledgeExporter(ex.Exporter):
    columns = PLEDGE_COLUMNS
    filterset = PledgeFilterSet

    def rows(self) -> Iterator[dict[str, Any]]:
        for p in self.filtered(pledge_list(actor=self.actor)):
            yield PLEDGE.row_cells(
                p,
                donor=p.donor.acronym,
                item=p.item.code,
                warehouse=p.warehouse.facility.code if p.warehouse else "",
            )


ex.register("items", importer=ItemImporter, exporter=ItemExporter, label=gettext_lazy("Items"))
ex.register(
    "stock",
    importer=StockCountImporter,
    exporter=StockExporter,
    label=gettext_lazy("Stock counts / balances"),
)
ex.register(
    "pledges", importer=PledgeImporter, exporter=PledgeExporter, label=gettext_lazy("Pledges")
)


# --- added for lists: the ledger list's export (export only: the ledger is append-only).
LEDGER_COLUMNS = [
    ex.Column("occurred_at", hxl="#date+occurred"),
    ex.Column("kind", hxl="#status+movement"),
    ex.Column("warehouse", hxl="#loc+warehouse+code"),
    ex.Column("item", hxl="#item+code"),
    ex.Column("lot", hxl="#item+lot"),
    ex.Column("quantity", hxl="#value+quantity", number=True),
    ex.Column("unit", hxl="#item+unit"),
    ex.Column("reason", hxl="#description+reason"),
    ex.Column("reference", hxl="#meta+reference"),
]


class LedgerExporter(ex.Exporter):
    columns = LEDGER_COLUMNS
    filterset = TransactionFilterSet

    def rows(self) -> Iterator[dict[str, Any]]:
        lines = self.filtered(stock_transaction_list(actor=self.actor))
        for t in lines.iterator(chunk_size=2000):
            yield {
                "occurred_at": t.occurred_at,
                "kind": t.kind,
                "warehouse": t.warehouse.facility.code,
                "item": t.item.code,
                "lot": t.lot.code,
                "quantity": t.quantity,
                "unit": t.item.unit,
                "reason": t.reason,
                "reference": t.reference,
            }


ex.register("ledger", exporter=LedgerExporter, label=gettext_lazy("Stock ledger"))
