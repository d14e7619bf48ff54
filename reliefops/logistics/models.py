"""Models of the logistics domain: drivers, vehicles, convoys and what they carry.

A :class:`Convoy` leaves an origin warehouse on a day, follows ordered road segments
(:class:`ConvoySegment`) through crossing points to ordered stops (:class:`ConvoyStop`).
Each of its vehicles (:class:`ConvoyVehicle`, with its waybill's tracking number) carries
:class:`ConsignmentLine` s: an item, from a lot once loaded, for a stop and usually for a
request line. A line's quantities account for everything loaded::

    quantity (loaded, dispatched) = delivered + short + damaged + returned + on board

:class:`Passage` records a crossing point's check of the convoy or one vehicle; goods it
held come back (``returned``). :class:`Delivery` is the proof of delivery at a stop.
The convoy's ``area`` is its origin warehouse's area; it scopes who plans and moves it.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedCharField
from simple_history.models import HistoricalRecords

from reliefops.core.models import BaseModel
from reliefops.logistics.choices import (
    CarriageStatus,
    ConvoyStatus,
    LossReason,
    PassageDirection,
    PassageOutcome,
    VehicleKind,
    VehicleStatus,
)

ZERO = Decimal("0")


class Driver(BaseModel):
    """A driver: a contact of the organisation that owns the vehicles. The phone and the
    licence number are personal data, encrypted at rest and shown only to logistics staff
    of the convoy (waybills, the convoy page)."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="drivers",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=120)
    phone = EncryptedCharField(_("phone"), max_length=40, blank=True, null=True)
    licence_number = EncryptedCharField(_("driving licence"), max_length=40, blank=True, null=True)
    languages = models.CharField(
        _("languages spoken"), max_length=60, blank=True, help_text=_("e.g. az, ru")
    )
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords(excluded_fields=["phone", "licence_number"])

    class Meta:
        ordering = ["organisation__acronym", "name"]
        verbose_name = _("driver")
        verbose_name_plural = _("drivers")

    def __str__(self) -> str:
        return self.name


class Vehicle(BaseModel):
    """A vehicle with its capacities and the item classes it may carry."""

    registration = models.CharField(_("registration"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=VehicleKind.choices)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="vehicles",
        verbose_name=_("owner"),
    )
    base = models.ForeignKey(
        "places.Facility",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="based_vehicles",
        verbose_name=_("base"),
    )
    capacity_kg = models.DecimalField(_("capacity (kg)"), max_digits=10, decimal_places=1)
    capacity_m3 = models.DecimalField(
        _("capacity (m³)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    capacity_litres = models.DecimalField(
        _("tank capacity (litres)"),
        max_digits=10,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("Tankers: the litres of fuel the tank holds."),
    )
    item_classes = models.JSONField(
        _("may carry"),
        default=list,
        blank=True,
        help_text=_("Item categories it may carry; empty: what its kind may carry."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=VehicleStatus.choices, default=VehicleStatus.AVAILABLE
    )
    driver = models.ForeignKey(
        Driver,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="vehicles",
        verbose_name=_("usual driver"),
    )
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["registration"]
        verbose_name = _("vehicle")
        verbose_name_plural = _("vehicles")
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity_kg__gt=0), name="vehicle_capacity_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.registration


class Convoy(BaseModel):
    """Vehicles leaving one warehouse together on a day, along a route, to ordered stops."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    departure_date = models.DateField(_("departure date"))
    origin = models.ForeignKey(
        "stock.Warehouse",
        on_delete=models.PROTECT,
        related_name="convoys",
        verbose_name=_("origin warehouse"),
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="convoys",
        verbose_name=_("run by"),
    )
    area = models.ForeignKey(
        "places.AdminArea", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ConvoyStatus.choices,
        default=ConvoyStatus.PLANNED,
        db_index=True,
    )
    status_reason = models.CharField(_("reason"), max_length=300, blank=True)
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    escort = models.CharField(_("escort"), max_length=200, blank=True)
    leader = models.CharField(_("convoy leader"), max_length=120, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    segments = models.ManyToManyField(
        "places.RoadSegment", through="ConvoySegment", related_name="convoys"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-departure_date", "code"]
        verbose_name = _("convoy")
        verbose_name_plural = _("convoys")

    def __str__(self) -> str:
        return self.code


class ConvoySegment(models.Model):
    """One road segment of a convoy's route, in travel order."""

    convoy = models.ForeignKey(Convoy, on_delete=models.CASCADE, related_name="route_segments")
    segment = models.ForeignKey("places.RoadSegment", on_delete=models.PROTECT, related_name="+")
    sequence = models.PositiveIntegerField(_("sequence"))

    class Meta:
        ordering = ["convoy", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["convoy", "sequence"], name="convoy_segment_sequence")
        ]

    def __str__(self) -> str:
        return f"{self.convoy_id}#{self.sequence}"


class ConvoyStop(BaseModel):
    """Where the convoy unloads: a facility (or a place), in order."""

    convoy = models.ForeignKey(Convoy, on_delete=models.CASCADE, related_name="stops")
    sequence = models.PositiveIntegerField(_("stop"))
    place = models.ForeignKey(
        "places.Place", on_delete=models.PROTECT, related_name="+", verbose_name=_("place")
    )
    facility = models.ForeignKey(
        "places.Facility",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("facility"),
    )
    arrived_at = models.DateTimeField(_("arrived at"), null=True, blank=True)

    class Meta:
        ordering = ["convoy", "sequence"]
        verbose_name = _("stop")
        verbose_name_plural = _("stops")
        constraints = [
            models.UniqueConstraint(fields=["convoy", "sequence"], name="convoy_stop_sequence")
        ]

    def __str__(self) -> str:
        return f"{self.convoy_id} {self.sequence}"


class ConvoyVehicle(BaseModel):
    """A vehicle in a convoy, with its driver and its waybill's tracking number."""

    convoy = models.ForeignKey(Convoy, on_delete=models.CASCADE, related_name="vehicles")
    vehicle = models.ForeignKey(Vehicle, on_delete=models.PROTECT, related_name="convoy_trips")
    driver = models.ForeignKey(
        Driver,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("driver"),
    )
    tracking_number = models.CharField(_("tracking number"), max_length=48, unique=True)
    carriage = models.CharField(
        _("carriage"),
        max_length=16,
        choices=CarriageStatus.choices,
        default=CarriageStatus.WITH_CONVOY,
    )

    class Meta:
        ordering = ["convoy", "tracking_number"]
        verbose_name = _("convoy vehicle")
        verbose_name_plural = _("convoy vehicles")
        constraints = [
            models.UniqueConstraint(fields=["convoy", "vehicle"], name="convoy_vehicle_unique")
        ]

    def __str__(self) -> str:
        return self.tracking_number


class ConsignmentLine(BaseModel):
    """One line of a vehicle's load: ``quantity`` of an item (item unit), from ``lot`` once
    loaded, for ``stop``, usually for a request line. The check constraint keeps
    delivered + short + damaged + returned ≤ quantity; the rest is on board."""

    carrier = models.ForeignKey(ConvoyVehicle, on_delete=models.CASCADE, related_name="lines")
    stop = models.ForeignKey(ConvoyStop, on_delete=models.PROTECT, related_name="lines")
    request_line = models.ForeignKey(
        "needs.RequestLine",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consignment_lines",
    )
    item = models.ForeignKey("stock.Item", on_delete=models.PROTECT, related_name="+")
    lot = models.ForeignKey(
        "stock.Lot", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.DecimalField(_("quantity"), max_digits=16, decimal_places=3)
    delivered = models.DecimalField(_("delivered"), max_digits=16, decimal_places=3, default=ZERO)
    short = models.DecimalField(_("short"), max_digits=16, decimal_places=3, default=ZERO)
    short_reason = models.CharField(
        _("shortfall reason"), max_length=24, choices=LossReason.choices, blank=True
    )
    damaged = models.DecimalField(_("damaged"), max_digits=16, decimal_places=3, default=ZERO)
    damage_reason = models.CharField(
        _("damage reason"), max_length=24, choices=LossReason.choices, blank=True
    )
    returned = models.DecimalField(_("returned"), max_digits=16, decimal_places=3, default=ZERO)

    class Meta:
        ordering = ["carrier", "stop__sequence", "item__code", "created_at"]
        verbose_name = _("consignment line")
        verbose_name_plural = _("consignment lines")
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="consignment_line_quantity_positive"
            ),
            models.CheckConstraint(
                condition=Q(delivered__gte=0, short__gte=0, damaged__gte=0, returned__gte=0)
                & Q(quantity__gte=F("delivered") + F("short") + F("damaged") + F("returned")),
                name="consignment_line_accounted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.carrier_id} {self.quantity} {self.item_id}"

    @property
    def on_board(self) -> Decimal:
        return self.quantity - self.delivered - self.short - self.damaged - self.returned

    @property
    def lost(self) -> Decimal:
        return self.short + self.damaged


class Passage(BaseModel):
    """A crossing point's check of the convoy (``carrier`` empty) or of one vehicle."""

    convoy = models.ForeignKey(Convoy, on_delete=models.CASCADE, related_name="passages")
    carrier = models.ForeignKey(
        ConvoyVehicle,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="passages",
        verbose_name=_("vehicle"),
        help_text=_("Empty: the whole convoy."),
    )
    crossing_point = models.ForeignKey(
        "places.Facility",
        on_delete=models.PROTECT,
        related_name="passages",
        verbose_name=_("crossing point"),
    )
    direction = models.CharField(
        _("direction"),
        max_length=10,
        choices=PassageDirection.choices,
        default=PassageDirection.INBOUND,
    )
    time_in = models.DateTimeField(_("time in"))
    time_out = models.DateTimeField(_("time out"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=PassageOutcome.choices)
    delay_minutes = models.PositiveIntegerField(_("delay (minutes)"), null=True, blank=True)
    inspected = models.BooleanField(_("inspected"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["convoy", "time_in"]
        verbose_name = _("passage")
        verbose_name_plural = _("passages")
        constraints = [
            models.CheckConstraint(
                condition=Q(time_out__isnull=True) | Q(time_out__gte=F("time_in")),
                name="passage_times_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.convoy_id} {self.crossing_point_id} {self.outcome}"


class PassageHold(models.Model):
    """What a passage held back of one consignment line (it returns to the origin)."""

    passage = models.ForeignKey(Passage, on_delete=models.CASCADE, related_name="holds")
    line = models.ForeignKey(ConsignmentLine, on_delete=models.PROTECT, related_name="holds")
    quantity = models.DecimalField(_("held"), max_digits=16, decimal_places=3)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="passage_hold_positive")
        ]

    def __str__(self) -> str:
        return f"{self.passage_id} {self.line_id} {self.quantity}"


class Delivery(BaseModel):
    """Proof of delivery at a stop: who received, when, and a photo of the signed note."""

    stop = models.OneToOneField(ConvoyStop, on_delete=models.CASCADE, related_name="delivery")
    receiver_name = models.CharField(_("received by"), max_length=120)
    receiver_role = models.CharField(_("receiver's role"), max_length=120, blank=True)
    received_at = models.DateTimeField(_("received at"))
    note = models.TextField(_("note"), blank=True)
    photo = models.FileField(
        _("photo of the signed note"), upload_to="deliveries/%Y/%m/", blank=True
    )
    photo_type = models.CharField(_("photo type"), max_length=40, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["received_at"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")

    def __str__(self) -> str:
        return f"{self.stop_id} {self.received_at:%Y-%m-%d}"
