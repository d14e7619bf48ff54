"""Forms of the needs pages (input parsing only; rules live in the services)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reliefops.core.errors import ApplicationError
from reliefops.core.forms import DateInput, GuidedForm, model_help
from reliefops.needs.choices import Priority, RequesterKind, RequestSource, ServiceType
from reliefops.needs.models import Request, RequestLine
from reliefops.needs.selectors import request_place
from reliefops.needs.services import LineInput, RequestInput, request_problems

#: Lines a new form starts with, and the most one request may have.
FIRST_LINES = 1
MAX_LINES = 50
_LINE_KEY = re.compile(r"^line(\d+)_(item|service|quantity)$")
#: A service error's line attribute → the form field of that line.
_LINE_FIELD = {"item": "item", "service_type": "service", "quantity": "quantity"}


class ItemSelect(forms.Select):
    """An item picker whose options carry the item's unit (``data-unit``), so the page
    shows the unit next to the line's quantity as soon as the item changes."""

    option_template_name = "needs/widgets/item_option.html"

    def create_option(self, name: str, value: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(name, value, *args, **kwargs)
        instance = getattr(value, "instance", None)
        option["unit"] = getattr(instance, "unit", "")
        return option


class RequestForm(GuidedForm):
    """The request form: the request's fields, then any number of lines (``line<i>_item``,
    ``line<i>_service``, ``line<i>_quantity``; the indexes present in the data are the
    lines, so the page adds and removes rows in place). :meth:`clean` runs the service's
    own checks (:func:`request_problems`) so every problem shows at once, next to its field.
    """

    help_from = {
        **dict.fromkeys(
            (
                "requester_kind",
                "facility",
                "place",
                "organisation",
                "people_count",
                "priority",
                "needed_from",
                "needed_by",
                "justification",
                "source",
                "decision_reference",
            ),
            Request,
        ),
    }

    requester_kind = forms.ChoiceField(label=_("Requested for"), choices=RequesterKind.choices)
    facility: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Facility"), queryset=None, required=False
    )
    place = forms.CharField(
        label=_("Place (any spelling, or P-code)"), required=False, max_length=200
    )
    organisation: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Requesting organisation"), queryset=None
    )
    people_count = forms.IntegerField(label=_("People covered"), required=False, min_value=1)
    priority = forms.ChoiceField(
        label=_("Priority"), choices=Priority.choices, initial=Priority.ROUTINE
    )
    needed_from = forms.DateField(label=_("Needed from"), widget=DateInput())
    needed_by = forms.DateField(label=_("Needed by"), widget=DateInput())
    justification = forms.CharField(
        label=_("Justification"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    source = forms.ChoiceField(label=_("Source"), choices=(), initial=RequestSource.PARTNER)
    decision_reference = forms.CharField(
        label=_("Working-group decision"), required=False, max_length=200
    )
    confirm_duplicate = forms.BooleanField(
        label=_("I checked the similar open requests; submit anyway"), required=False
    )
    confirm_fuel = forms.BooleanField(
        label=_("The facility needs this fuel all the same; submit anyway"), required=False
    )

    #: Fields shown only for some requester kinds (the page toggles them; without
    #: JavaScript all are shown, and the form ignores the ones the kind does not use).
    SHOWN_FOR = {
        "facility": [RequesterKind.FACILITY],
        "place": [RequesterKind.PLACE, RequesterKind.ORGANISATION, RequesterKind.PEOPLE],
        "people_count": [RequesterKind.PEOPLE, RequesterKind.PLACE, RequesterKind.FACILITY],
    }
    CONFIRMATIONS = ("confirm_duplicate", "confirm_fuel")

    def __init__(
        self,
        *args: Any,
        facilities: Any,
        organisations: Any,
        items: Any,
        sources: list[str],
        line_indexes: list[int] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.facility_field().queryset = facilities
        cast(forms.ModelChoiceField, self.fields["organisation"]).queryset = organisations
        if organisations.count() == 1:
            self.fields["organisation"].initial = organisations.first()
        source = cast(forms.ChoiceField, self.fields["source"])
        source.choices = [(v, label) for v, label in RequestSource.choices if v in sources]
        self.items = items
        if line_indexes is None:
            line_indexes = self.indexes_in(self.data) if self.is_bound else []
        self.line_indexes = line_indexes or list(range(FIRST_LINES))
        for i in self.line_indexes:
            self._add_line_fields(i)
        self.kept_lines: list[int] = []

    @staticmethod
    def indexes_in(data: Any) -> list[int]:
        """The line indexes present in posted data (at most :data:`MAX_LINES`)."""
        found = {int(m.group(1)) for key in data if (m := _LINE_KEY.match(str(key)))}
        return sorted(found)[:MAX_LINES]

    def _add_line_fields(self, i: int) -> None:
        self.fields[f"line{i}_item"] = forms.ModelChoiceField(
            label=_("Item"), queryset=self.items, required=False, widget=ItemSelect
        )
        self.fields[f"line{i}_service"] = forms.ChoiceField(
            label=_("or service"), choices=[("", "—"), *ServiceType.choices], required=False
        )
        self.fields[f"line{i}_quantity"] = forms.DecimalField(
            label=_("Quantity"), required=False, max_digits=16, decimal_places=3
        )
        model_help(self.fields[f"line{i}_item"], RequestLine, "item")
        model_help(self.fields[f"line{i}_service"], RequestLine, "service_type")
        model_help(self.fields[f"line{i}_quantity"], RequestLine, "quantity")

    def facility_field(self) -> forms.ModelChoiceField[Any]:
        return cast(forms.ModelChoiceField, self.fields["facility"])

    def request_fields(self) -> list[Any]:
        """The request's own fields in order (not the lines, not the confirmations)."""
        return [
            self[name]
            for name in self.fields
            if not _LINE_KEY.match(name) and name not in self.CONFIRMATIONS
        ]

    def line_fields(self) -> list[tuple[int, Any, Any, Any]]:
        return [
            (i, self[f"line{i}_item"], self[f"line{i}_service"], self[f"line{i}_quantity"])
            for i in self.line_indexes
        ]

    def empty_line(self) -> tuple[Any, Any, Any]:
        """An unbound line (index ``__i__``) the page clones to add a line in place."""
        blank = RequestForm(
            facilities=self.facility_field().queryset,
            organisations=self.fields["organisation"].queryset,  # type: ignore[attr-defined]
            items=self.items,
            sources=[],
            line_indexes=[0],
        )
        return blank["line0_item"], blank["line0_service"], blank["line0_quantity"]

    def lines(self) -> list[dict[str, Any]]:
        result = []
        self.kept_lines = []
        for i in self.line_indexes:
            item = self.cleaned_data.get(f"line{i}_item")
            service = self.cleaned_data.get(f"line{i}_service") or ""
            quantity = self.cleaned_data.get(f"line{i}_quantity")
            unparsed = any(f"line{i}_{k}" in self.errors for k in ("item", "service", "quantity"))
            if item is None and not service and quantity is None and not unparsed:
                continue
            self.kept_lines.append(i)
            result.append({"item": item, "service_type": service, "quantity": quantity})
        return result

    def request_input(self) -> RequestInput:
        """The service's input from what was parsed (fields the kind does not use dropped)."""
        data = self.cleaned_data
        kind = data.get("requester_kind") or ""
        facility = data.get("facility") if kind == RequesterKind.FACILITY else None
        place = self.resolved_place if kind != RequesterKind.FACILITY else None
        return RequestInput(
            requester_kind=kind,
            organisation=data.get("organisation"),
            lines=[
                LineInput(
                    quantity=line["quantity"],
                    item=line["item"],
                    service_type=line["service_type"],
                )
                for line in self.lines()
            ],
            needed_from=data.get("needed_from"),  # type: ignore[arg-type]
            needed_by=data.get("needed_by"),  # type: ignore[arg-type]
            place=place,
            facility=facility,
            priority=data.get("priority") or Priority.ROUTINE,
            justification=data.get("justification") or "",
            source=data.get("source") or RequestSource.PARTNER,
            decision_reference=data.get("decision_reference") or "",
            people_count=data.get("people_count"),
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.resolved_place = None
        kind = data.get("requester_kind")
        if kind and kind != RequesterKind.FACILITY and data.get("place"):
            try:
                self.resolved_place = request_place(data["place"])
            except ApplicationError as exc:
                self.add_error("place", str(exc.message))
        for name, messages in request_problems(self.request_input()).items():
            target = self.error_field(name)
            if target is not None and target in self.errors:
                continue  # the field's own error (a value that did not parse) says enough
            for message in messages:
                self.add_error(target, str(message))
        return data

    def error_field(self, name: str) -> str | None:
        match = re.match(r"^lines\.(\d+)\.(\w+)$", name)
        if match:
            position, attribute = int(match.group(1)), match.group(2)
            lines = self.kept_lines or self.line_indexes
            if position < len(lines):
                return f"line{lines[position]}_{_LINE_FIELD.get(attribute, 'item')}"
            return None
        return super().error_field(name)


#: Per step, what a line's quantity field starts at (the step's own default).
LINE_DEFAULTS: dict[str, Any] = {
    "plan": lambda line: line.quantity - line.quantity_delivered,
    "dispatch": lambda line: max(
        (line.quantity_planned or line.quantity) - line.quantity_dispatched, 0
    ),
    "deliver": lambda line: (
        max(line.quantity_dispatched - line.quantity_delivered, 0)
        if line.item_id
        else line.quantity - line.quantity_delivered
    ),
}
#: The steps whose quantities are only for goods (a service line is not dispatched).
ITEMS_ONLY = {"dispatch"}


class StepForm(GuidedForm):
    """What one workflow step asks for, from its row of the transition table: a reason
    (required when the step needs one), the data it ``needs`` (quantities per line, the
    planned date, the warehouse) and the confirmation of a ``confirm`` step.

    Field names are the same for every step (ids are unique per step: ``id_<step>_…``).
    """

    def __init__(
        self,
        *args: Any,
        step: str,
        transition: Any,
        request: Any,
        warehouses: Any = None,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("auto_id", f"id_{step}_%s")
        super().__init__(*args, **kwargs)
        self.step, self.transition, self.request = step, transition, request
        needs = set(transition.needs)
        if "warehouse" in needs:
            self.fields["warehouse"] = forms.ModelChoiceField(
                label=_("From warehouse"), queryset=warehouses
            )
        if "planned_for" in needs:
            self.fields["planned_for"] = forms.DateField(
                label=_("Planned for"),
                widget=DateInput(),
                initial=max(request.needed_from, timezone.localdate()),
            )
            model_help(self.fields["planned_for"], Request, "planned_for")
        self.lines: list[Any] = []
        if "quantities" in needs:
            default = LINE_DEFAULTS.get(step, lambda line: line.quantity)
            for line in request.lines.all():
                if step in ITEMS_ONLY and line.item_id is None:
                    continue
                self.lines.append(line)
                self.fields[f"line_{line.pk}"] = forms.DecimalField(
                    label=str(line.item.code if line.item_id else line.get_service_type_display()),
                    min_value=0,
                    max_digits=16,
                    decimal_places=3,
                    initial=f"{default(line).normalize():f}",
                )
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

    def line_rows(self) -> list[tuple[Any, Any]]:
        return [(line, self[f"line_{line.pk}"]) for line in self.lines]

    def other_fields(self) -> list[Any]:
        return [self[name] for name in self.fields if not name.startswith("line_")]

    def quantities(self) -> dict[Any, Decimal] | None:
        if not self.lines:
            return None
        return {line.pk: self.cleaned_data[f"line_{line.pk}"] for line in self.lines}

    def error_field(self, name: str) -> str | None:
        match = re.match(r"^lines\.([0-9a-f-]+)\.\w+$", name)
        if match:
            field = f"line_{match.group(1)}"
            return field if field in self.fields else None
        return super().error_field(name)


class CommentForm(GuidedForm):
    text = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}))


class EstimatorForm(forms.Form):
    parameters = forms.JSONField(
        label=_("Parameters (JSON, over the defaults)"), widget=forms.Textarea(attrs={"rows": 12})
    )
