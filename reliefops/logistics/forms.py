"""Forms of the logistics pages (input parsing only; the rules live in the services).

Each form maps the field names a service error uses (``vehicles.0``, ``lines.<id>.short``,
``held.<id>``) onto its own fields (:meth:`GuidedForm.error_field`), so a refused step
shows its messages next to the boxes they are about.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reliefops.core.forms import DateInput, GuidedForm
from reliefops.logistics.choices import LossReason, PassageDirection, PassageOutcome
from reliefops.logistics.models import Convoy, Delivery, Passage
from reliefops.logistics.services import DeliveryInput, PassageInput, Receipt

ZERO = Decimal("0")
#: ``datetime-local`` inputs read and write this (the browser shows the user's format).
LOCAL_MINUTE = "%Y-%m-%dT%H:%M"


class DateTimeInput(forms.DateTimeInput):
    """A native date-and-time picker whose value is ISO ``YYYY-MM-DDTHH:MM``."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, object] | None = None) -> None:
        super().__init__(attrs=attrs, format=LOCAL_MINUTE)


def _now() -> dt.datetime:
    return timezone.localtime().replace(second=0, microsecond=0)


def _number(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _quantity(label: Any, initial: Decimal | None = None, **kwargs: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        min_value=0,
        max_digits=16,
        decimal_places=3,
        initial=None if initial is None else _number(initial),
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
        **kwargs,
    )


class RequestChoices(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.reference)


class VehicleChoices(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.registration} · {obj.get_kind_display()}"


class WarehouseChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        facility = obj.facility
        return f"{facility.name} · {facility.place.name}"


class OrganisationChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.acronym} · {obj.name}"


class ConvoyPlanForm(GuidedForm):
    """Plan a convoy from approved requests (``services.convoy_from_requests``)."""

    help_from = {
        "departure_date": Convoy,
        "escort": Convoy,
        "leader": Convoy,
        "notes": Convoy,
    }

    origin = WarehouseChoice(label=_("Origin warehouse"), queryset=None)
    departure_date = forms.DateField(label=_("Departure date"), widget=DateInput())
    organisation = OrganisationChoice(label=_("Run by"), queryset=None)
    vehicles = VehicleChoices(
        label=_("Vehicles"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Available vehicles; each line goes on the first one that may carry it."),
    )
    requests = RequestChoices(
        label=_("Approved requests to carry"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("What they still await goes on the convoy; their facilities are the stops."),
    )
    escort = forms.CharField(label=_("Escort"), required=False, max_length=200)
    leader = forms.CharField(label=_("Convoy leader"), required=False, max_length=120)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, choices: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["origin"].queryset = choices.warehouses  # type: ignore[attr-defined]
        self.fields["organisation"].queryset = choices.organisations  # type: ignore[attr-defined]
        self.fields["vehicles"].queryset = choices.vehicles  # type: ignore[attr-defined]
        self.fields["requests"].queryset = choices.requests  # type: ignore[attr-defined]
        self.request_rows = list(choices.requests)
        if not self.is_bound:
            self.fields["departure_date"].initial = timezone.localdate()
            if len(choices.organisations) == 1:
                self.fields["organisation"].initial = choices.organisations[0].pk
            if len(choices.warehouses) == 1:
                self.fields["origin"].initial = choices.warehouses[0].pk

    def chosen_requests(self) -> set[str]:
        return {str(v) for v in (self["requests"].value() or [])}

    def error_field(self, name: str) -> str | None:
        head = name.split(".", 1)[0]
        if head == "vehicles":
            return "vehicles"
        if head in ("cargo", "requests", "stops"):
            return "requests"
        return super().error_field(name)


class StepForm(GuidedForm):
    """What one convoy step asks for on the convoy page, from its row of the table: a
    reason (required when the step needs one) and the confirmation of a ``confirm`` step.
    Steps that need a form of their own (a passage, a delivery) are taken on the road page.
    """

    def __init__(self, *args: Any, step: str, transition: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"id_{step}_%s")
        super().__init__(*args, **kwargs)
        self.step, self.transition = step, transition
        self.fields["reason"] = forms.CharField(
            label=_("Reason") if transition.needs_reason else _("Note"),
            required=transition.needs_reason,
            max_length=300,
        )
        if transition.confirm:
            self.fields["confirm"] = forms.BooleanField(
                label=transition.confirm,
                required=True,
                error_messages={"required": _("Tick the box to confirm.")},
            )


class CrossingPointChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    """Crossing points, those on the convoy's route first (then every other one)."""

    def __init__(self, *args: Any, on_route: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        route_ids = {f.pk for f in on_route}
        others = [f for f in self.queryset if f.pk not in route_ids]  # type: ignore[union-attr]
        groups: list[Any] = [("", self.empty_label)]
        for label, points in ((_("On the route"), on_route), (_("Other crossing points"), others)):
            if points:
                groups.append((label, [(str(f.pk), self.label_from_instance(f)) for f in points]))
        self.choices = groups

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} · {obj.place.name}"


class PassageForm(GuidedForm):
    """A crossing point's check of the convoy or of one vehicle (``services.PassageInput``);
    ``held_<line>``: what it held back of each line when the outcome is partial."""

    help_from = {"delay_minutes": Passage, "inspected": Passage}

    def __init__(
        self,
        *args: Any,
        crossing_points: Any,
        on_route: list[Any],
        carriers: list[Any],
        lines: list[Any],
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("prefix", "passage")
        super().__init__(*args, **kwargs)
        now = _now()
        self.fields["crossing_point"] = CrossingPointChoice(
            label=_("Crossing point"),
            queryset=crossing_points,
            on_route=on_route,
            initial=on_route[0].pk if on_route else None,
        )
        self.fields["outcome"] = forms.ChoiceField(
            label=_("Outcome"),
            choices=PassageOutcome.choices,
            widget=forms.RadioSelect,
            initial=PassageOutcome.PASSED,
        )
        self.carriers = {str(c.pk): c for c in carriers}
        self.fields["carrier"] = forms.ChoiceField(
            label=_("Vehicle"),
            required=False,
            choices=[
                ("", _("The whole convoy")),
                *[(str(c.pk), f"{c.tracking_number} · {c.vehicle.registration}") for c in carriers],
            ],
        )
        self.fields["direction"] = forms.ChoiceField(
            label=_("Direction"), choices=PassageDirection.choices, initial="inbound"
        )
        self.fields["time_in"] = forms.DateTimeField(
            label=_("Time in"), widget=DateTimeInput(), initial=now
        )
        self.fields["time_out"] = forms.DateTimeField(
            label=_("Time out"), widget=DateTimeInput(), required=False, initial=now
        )
        self.fields["delay_minutes"] = forms.IntegerField(
            label=_("Delay (minutes)"), required=False, min_value=0
        )
        self.fields["inspected"] = forms.BooleanField(label=_("Inspected"), required=False)
        self.lines = [line for line in lines if line.on_board > 0]
        for line in self.lines:
            self.fields[f"held_{line.pk}"] = _quantity(
                _("Held"), required=False, max_value=line.on_board
            )
        self.fields["notes"] = forms.CharField(
            label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
        )

    def held_rows(self) -> list[tuple[Any, Any]]:
        return [(line, self[f"held_{line.pk}"]) for line in self.lines]

    def main_fields(self) -> list[Any]:
        return [self[n] for n in self.fields if not n.startswith("held_") and n not in ("notes",)]

    def passage_input(self) -> PassageInput:
        data = self.cleaned_data
        held = {
            line.pk: data[f"held_{line.pk}"]
            for line in self.lines
            if data.get(f"held_{line.pk}") not in (None, ZERO)
        }
        return PassageInput(
            crossing_point=data["crossing_point"],
            outcome=data["outcome"],
            time_in=data["time_in"],
            time_out=data.get("time_out"),
            direction=data["direction"],
            carrier=self.carriers.get(data.get("carrier") or ""),
            delay_minutes=data.get("delay_minutes"),
            inspected=bool(data.get("inspected")),
            notes=data.get("notes", ""),
            held=held,
        )

    def error_field(self, name: str) -> str | None:
        match = re.match(r"^held\.([0-9a-f-]+)$", name)
        if match:
            field = f"held_{match.group(1)}"
            return field if field in self.fields else None
        if name == "vehicle":
            return "carrier"
        return super().error_field(name)


REASONS = [("", "—"), *[(v, label) for v, label in LossReason.choices if v]]


class DeliveryForm(GuidedForm):
    """The proof of delivery at one stop (``services.DeliveryInput``): who received, when,
    and per line received / short / damaged with reasons (received defaults to on board)."""

    help_from = {"receiver_role": Delivery, "photo": Delivery}

    def __init__(self, *args: Any, stop: Any, lines: list[Any], **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"stop{stop.sequence}")
        super().__init__(*args, **kwargs)
        self.stop = stop
        self.fields["receiver_name"] = forms.CharField(label=_("Received by"), max_length=120)
        self.fields["receiver_role"] = forms.CharField(
            label=_("Receiver's role"), required=False, max_length=120
        )
        self.fields["received_at"] = forms.DateTimeField(
            label=_("Received at"), widget=DateTimeInput(), initial=_now()
        )
        self.lines = [line for line in lines if line.on_board > 0]
        for line in self.lines:
            pk = line.pk
            self.fields[f"line_{pk}_delivered"] = _quantity(_("Received"), line.on_board)
            self.fields[f"line_{pk}_short"] = _quantity(_("Short"), ZERO, required=False)
            self.fields[f"line_{pk}_short_reason"] = forms.ChoiceField(
                label=_("Why short"), choices=REASONS, required=False
            )
            self.fields[f"line_{pk}_damaged"] = _quantity(_("Damaged"), ZERO, required=False)
            self.fields[f"line_{pk}_damage_reason"] = forms.ChoiceField(
                label=_("Why damaged"), choices=REASONS, required=False
            )
        self.fields["photo"] = forms.FileField(
            label=_("Photo of the signed note"),
            required=False,
            widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
        )
        self.fields["note"] = forms.CharField(
            label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
        )

    LINE_PARTS = ("delivered", "short", "short_reason", "damaged", "damage_reason")

    def line_rows(self) -> list[tuple[Any, dict[str, Any]]]:
        return [
            (line, {part: self[f"line_{line.pk}_{part}"] for part in self.LINE_PARTS})
            for line in self.lines
        ]

    def head_fields(self) -> list[Any]:
        return [self[n] for n in ("receiver_name", "receiver_role", "received_at")]

    def delivery_input(self) -> DeliveryInput:
        data = self.cleaned_data
        receipts = {}
        for line in self.lines:
            key = f"line_{line.pk}"
            receipts[line.pk] = Receipt(
                delivered=data[f"{key}_delivered"],
                short=data.get(f"{key}_short") or ZERO,
                short_reason=data.get(f"{key}_short_reason") or "",
                damaged=data.get(f"{key}_damaged") or ZERO,
                damage_reason=data.get(f"{key}_damage_reason") or "",
            )
        return DeliveryInput(
            stop=self.stop,
            receiver_name=data["receiver_name"],
            receiver_role=data.get("receiver_role", ""),
            received_at=data["received_at"],
            receipts=receipts,
            note=data.get("note", ""),
            photo=data.get("photo") or None,
        )

    def error_field(self, name: str) -> str | None:
        match = re.match(r"^lines\.([0-9a-f-]+)\.(\w+)$", name)
        if match:
            field = f"line_{match.group(1)}_{match.group(2)}"
            return field if field in self.fields else None
        return super().error_field(name)
