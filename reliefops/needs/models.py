"""Requests (with lines and comments), climate stations and estimator parameters.

A request's ``area`` is the ``admin1`` of its place; it scopes who sees and acts on it.
Quantities are in the line's unit (the item's unit when an item is given).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from reliefops.core.models import BaseModel
from reliefops.needs.choices import (
    Priority,
    RequesterKind,
    RequestSource,
    RequestStatus,
    ServiceType,
)


class Request(BaseModel):
    """What a facility, place, organisation or group of people needs, and its workflow."""

    reference = models.CharField(_("reference"), max_length=40, unique=True)
    requester_kind = models.CharField(
        _("requested for"),
        max_length=16,
        choices=RequesterKind.choices,
        help_text=_(
            "Who needs it: a facility (school, clinic …), a whole place, an organisation or a group of registered people."
        ),
    )
    facility = models.ForeignKey(
        "places.Facility",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="requests",
        verbose_name=_("facility"),
        help_text=_("The facility the goods are for; the request is at its place."),
    )
    place = models.ForeignKey(
        "places.Place",
        on_delete=models.PROTECT,
        related_name="requests",
        verbose_name=_("place"),
        help_text=_("The village or town, in any spelling or script, or its P-code."),
    )
    area = models.ForeignKey(
        "places.AdminArea", null=True, blank=True, on_delete=models.PROTECT, related_name="requests"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="requests",
        verbose_name=_("requesting organisation"),
        help_text=_("The organisation that asks and answers questions about the request."),
    )
    people_count = models.PositiveIntegerField(
        _("people covered"),
        null=True,
        blank=True,
        help_text=_("How many people the request serves (required for a group of people)."),
    )
    priority = models.CharField(
        _("priority"),
        max_length=16,
        choices=Priority.choices,
        default=Priority.ROUTINE,
        help_text=_("Life-saving: lives at risk within days. Urgent: within two weeks."),
    )
    needed_from = models.DateField(
        _("needed from"), help_text=_("The first day the goods or service are needed.")
    )
    needed_by = models.DateField(
        _("needed by"), help_text=_("The last day: after it the request is overdue.")
    )
    justification = models.TextField(
        _("justification"),
        blank=True,
        help_text=_("How the quantity was worked out (people, days, area heated …)."),
    )
    source = models.CharField(
        _("source"),
        max_length=20,
        choices=RequestSource.choices,
        default=RequestSource.PARTNER,
        help_text=_("Where the need was identified."),
    )
    decision_reference = models.CharField(
        _("working-group decision"),
        max_length=200,
        blank=True,
        help_text=_("The reference of the working-group decision behind it, if any."),
    )
    planned_for = models.DateField(
        _("planned for"),
        null=True,
        blank=True,
        help_text=_("The day the delivery is planned for (set by the plan step)."),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=RequestStatus.choices,
        default=RequestStatus.SUBMITTED,
        db_index=True,
    )
    status_reason = models.CharField(_("reason"), max_length=300, blank=True)
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("request")
        verbose_name_plural = _("requests")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(needed_by__gte=models.F("needed_from")),
                name="request_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class RequestLine(BaseModel):
    """One line of a request: an item (or a service) and how much, tracked to delivery."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey(
        "stock.Item",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="request_lines",
        verbose_name=_("item"),
        help_text=_("A catalogue item; the quantity is in its unit."),
    )
    service_type = models.CharField(
        _("service"),
        max_length=20,
        blank=True,
        choices=ServiceType.choices,
        help_text=_("Or a service instead of an item."),
    )
    quantity = models.DecimalField(
        _("quantity"),
        max_digits=16,
        decimal_places=3,
        help_text=_("Greater than zero, in the item's unit."),
    )
    unit = models.CharField(_("unit"), max_length=8)
    quantity_planned = models.DecimalField(_("planned"), default=0, max_digits=16, decimal_places=3)
    quantity_dispatched = models.DecimalField(
        _("dispatched"), default=0, max_digits=16, decimal_places=3
    )
    quantity_delivered = models.DecimalField(
        _("delivered"), default=0, max_digits=16, decimal_places=3
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["request", "created_at"]
        verbose_name = _("request line")
        verbose_name_plural = _("request lines")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0), name="request_line_quantity_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(item__isnull=False) | ~models.Q(service_type=""),
                name="request_line_item_or_service",
            ),
        ]

    def __str__(self) -> str:
        what = self.item.code if self.item_id and self.item else self.service_type
        return f"{self.request_id}: {self.quantity} {self.unit} {what}"

    @property
    def remaining(self):  # type: ignore[no-untyped-def]
        return max(self.quantity - self.quantity_delivered, 0)


class RequestComment(BaseModel):
    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("comment"))

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.request_id} {self.created_at:%Y-%m-%d}"


class ClimateStation(BaseModel):
    """Monthly mean temperatures (°C, January first) at a point; the heating-fuel estimator
    uses the nearest station to a facility. Editable by coordinators."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    elevation_m = models.FloatField(_("elevation (m)"), null=True, blank=True)
    monthly_mean_c = models.JSONField(_("monthly mean temperature (°C)"))
    source = models.CharField(_("source"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class EstimatorSetting(BaseModel):
    """Coordinator-editable parameters of one estimator (``key``), over the code defaults."""

    key = models.CharField(_("estimator"), max_length=32, unique=True)
    parameters = models.JSONField(_("parameters"), default=dict)
    history = HistoricalRecords()

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return self.key
