"""Items, warehouses, lots, the append-only stock ledger, balances and pledges.

The ledger (:class:`StockTransaction`) is the truth: rows are only ever inserted, a
correction is a new transaction. :class:`StockBalance` is a snapshot per warehouse × item
× lot kept in step by ``reliefops.stock.services`` inside the same transaction; the
``stock_reconcile`` command proves snapshot = ledger. Quantities are in the item's unit.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from reliefops.core.i18n import localized
from reliefops.core.models import BaseModel
from reliefops.stock.choices import (
    HazardClass,
    ItemCategory,
    PledgeStatus,
    TransactionKind,
    Unit,
    reason_label,
)


class Item(BaseModel):
    """A catalogue item: what is stocked, requested and moved. A kit lists its contents."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    names = models.JSONField(_("names"), default=dict, blank=True)
    category = models.CharField(_("category"), max_length=20, choices=ItemCategory.choices)
    unit = models.CharField(_("unit"), max_length=8, choices=Unit.choices)
    weight_kg = models.DecimalField(
        _("weight per unit (kg)"), max_digits=12, decimal_places=4, default=Decimal("0")
    )
    volume_m3 = models.DecimalField(
        _("volume per unit (m³)"), max_digits=12, decimal_places=6, default=Decimal("0")
    )
    perishable = models.BooleanField(_("perishable"), default=False)
    shelf_life_days = models.PositiveIntegerField(_("shelf life (days)"), null=True, blank=True)
    cold_chain = models.BooleanField(_("cold chain"), default=False)
    hazard_class = models.CharField(
        _("hazard class"), max_length=4, blank=True, choices=HazardClass.choices
    )
    hxl_tags = models.CharField(
        _("HXL tags"), max_length=100, blank=True, help_text=_("e.g. #item+fuel+diesel")
    )
    is_kit = models.BooleanField(_("kit"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("item")
        verbose_name_plural = _("items")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def name(self) -> str:
        return localized(self.names) or self.code


class KitComponent(BaseModel):
    """One content line of a kit: ``quantity`` of ``component`` (in its unit) per kit."""

    kit = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="components")
    component = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="in_kits")
    quantity = models.DecimalField(_("quantity per kit"), max_digits=16, decimal_places=3)

    class Meta:
        ordering = ["kit__code", "component__code"]
        constraints = [
            models.UniqueConstraint(fields=["kit", "component"], name="kit_component_unique"),
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0), name="kit_component_quantity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kit.code}: {self.quantity} × {self.component.code}"


class Warehouse(BaseModel):
    """A stock point. Every warehouse is a facility (``places.Facility``); its area is the
    facility's place's ``admin1``, which scopes who sees and moves its stock."""

    facility = models.OneToOneField(
        "places.Facility", on_delete=models.PROTECT, related_name="warehouse"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="warehouses",
        verbose_name=_("managed by"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["facility__code"]
        verbose_name = _("warehouse")
        verbose_name_plural = _("warehouses")

    def __str__(self) -> str:
        return str(self.facility)

    @property
    def code(self) -> str:
        return self.facility.code

    @property
    def name(self) -> str:
        return self.facility.name


class Lot(BaseModel):
    """A batch of one item with its expiry and donor. ``code`` '' is the item's lot for
    stock received without a batch number (no expiry)."""

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="lots")
    code = models.CharField(_("lot"), max_length=64, blank=True)
    expiry_date = models.DateField(_("expiry date"), null=True, blank=True)
    donor = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="donated_lots",
        verbose_name=_("donor"),
    )

    class Meta:
        ordering = ["item__code", "expiry_date", "code"]
        constraints = [models.UniqueConstraint(fields=["item", "code"], name="lot_unique")]

    def __str__(self) -> str:
        return f"{self.item.code}/{self.code or '-'}"


class StockTransaction(models.Model):
    """One append-only ledger line: ``quantity`` (signed, item unit) moved at a warehouse.

    Inbound kinds are positive, outbound negative, count adjustments either. A transfer is
    a ``transfer_out`` and a ``transfer_in`` sharing ``group``. Never updated or deleted.
    """

    id = models.UUIDField(primary_key=True, editable=False)
    occurred_at = models.DateTimeField(_("occurred at"), db_index=True)
    kind = models.CharField(_("kind"), max_length=20, choices=TransactionKind.choices)
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="transactions")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="transactions")
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="transactions")
    quantity = models.DecimalField(_("quantity"), max_digits=16, decimal_places=3)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    reference = models.CharField(_("reference document"), max_length=100, blank=True)
    group = models.UUIDField(_("group"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    request_line = models.ForeignKey(
        "needs.RequestLine",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stock_transactions",
    )
    pledge = models.ForeignKey(
        "stock.Pledge",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stock_transactions",
    )

    class Meta:
        ordering = ["occurred_at", "id"]
        verbose_name = _("stock transaction")
        verbose_name_plural = _("stock transactions")
        indexes = [models.Index(fields=["warehouse", "item", "lot"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(quantity=0), name="stock_transaction_not_zero"
            )
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d} {self.kind} {self.quantity} {self.item_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValueError("Stock transactions are append-only; record a correction instead.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("Stock transactions are append-only; record a correction instead.")

    @property
    def reason_display(self) -> str:
        """The reason in the reader's language when the system wrote it, else as typed."""
        return reason_label(self.reason)


class StockBalance(models.Model):
    """Snapshot: quantity on hand per warehouse × item × lot = sum of its ledger lines.

    ``reserved`` of it is held for loads being prepared; only ``quantity - reserved`` can
    be issued (the ledger post refuses to go below what is reserved)."""

    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="balances")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="balances")
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="balances")
    quantity = models.DecimalField(
        _("quantity"), default=Decimal("0"), max_digits=16, decimal_places=3
    )
    reserved = models.DecimalField(
        _("reserved"),
        default=Decimal("0"),
        max_digits=16,
        decimal_places=3,
        help_text=_("Held for loads being prepared (convoys loading); not available to issue."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["warehouse_id", "item_id", "lot_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["warehouse", "item", "lot"], name="stock_balance_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(quantity__gte=0), name="stock_balance_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(reserved__gte=0, reserved__lte=models.F("quantity")),
                name="stock_balance_reserved_within",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.warehouse_id} {self.item_id} {self.lot_id}: {self.quantity}"


class Pledge(BaseModel):
    """A donor's commitment: the pipeline of expected arrivals with dates."""

    donor = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="pledges",
        verbose_name=_("donor"),
    )
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="pledges")
    quantity = models.DecimalField(_("quantity"), max_digits=16, decimal_places=3)
    expected_date = models.DateField(_("expected arrival"))
    warehouse = models.ForeignKey(
        Warehouse,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pledges",
        verbose_name=_("destination"),
    )
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=PledgeStatus.choices, default=PledgeStatus.PLEDGED
    )
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["expected_date", "item__code"]
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0), name="pledge_quantity_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.donor} {self.quantity} {self.item.code} by {self.expected_date}"
