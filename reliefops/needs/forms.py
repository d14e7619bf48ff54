"""Forms of the needs pages (input parsing only; rules live in the services)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from reliefops.core.errors import InvalidInput
from reliefops.core.forms import DateInput
from reliefops.needs.choices import Priority, RequesterKind, RequestSource, ServiceType
from reliefops.needs.estimators import Estimator, Parameter, ParameterError
from reliefops.needs.services import MONTHLY_MEAN_RANGE, climate_months_check

LINE_COUNT = 4


class RequestForm(forms.Form):
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
    source = forms.ChoiceField(
        label=_("Source"), choices=RequestSource.choices, initial=RequestSource.PARTNER
    )
    decision_reference = forms.CharField(
        label=_("Working-group decision"), required=False, max_length=200
    )
    confirm_duplicate = forms.BooleanField(
        label=_("I checked the similar open requests; submit anyway"), required=False
    )

    def __init__(
        self, *args: Any, facilities: Any, organisations: Any, items: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.facility_field().queryset = facilities
        cast(forms.ModelChoiceField, self.fields["organisation"]).queryset = organisations
        if organisations.count() == 1:
            self.fields["organisation"].initial = organisations.first()
        for i in range(LINE_COUNT):
            self.fields[f"line{i}_item"] = forms.ModelChoiceField(
                label=_("Item"), queryset=items, required=False
            )
            self.fields[f"line{i}_service"] = forms.ChoiceField(
                label=_("or service"), choices=[("", "—"), *ServiceType.choices], required=False
            )
            self.fields[f"line{i}_quantity"] = forms.DecimalField(
                label=_("Quantity"), required=False, min_value=0, max_digits=16, decimal_places=3
            )

    def facility_field(self) -> forms.ModelChoiceField[Any]:
        return cast(forms.ModelChoiceField, self.fields["facility"])

    def line_fields(self) -> list[tuple[Any, Any, Any]]:
        return [
            (self[f"line{i}_item"], self[f"line{i}_service"], self[f"line{i}_quantity"])
            for i in range(LINE_COUNT)
        ]

    def lines(self) -> list[dict[str, Any]]:
        result = []
        for i in range(LINE_COUNT):
            item = self.cleaned_data.get(f"line{i}_item")
            service = self.cleaned_data.get(f"line{i}_service") or ""
            quantity = self.cleaned_data.get(f"line{i}_quantity")
            if item is None and not service and quantity is None:
                continue
            result.append({"item": item, "service_type": service, "quantity": quantity})
        return result


class StepForm(forms.Form):
    reason = forms.CharField(label=_("Reason / note"), required=False, max_length=300)
    warehouse: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("From warehouse"), queryset=None, required=False
    )

    def __init__(self, *args: Any, warehouses: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["warehouse"]).queryset = warehouses


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}))


def parameter_field_name(name: str) -> str:
    """The form field of a parameter (``occupancy.school`` → ``occupancy__school``)."""
    return name.replace(".", "__")


class EstimatorForm(forms.Form):
    """One field per parameter of ``estimator``, built from its schema (label, unit, help,
    range as the browser's hints). The values are checked by the estimator's own
    ``validate`` (the check the service runs too); ``parsed`` holds them, by name."""

    def __init__(self, *args: Any, estimator: Estimator, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.estimator = estimator
        self.parsed: dict[str, Any] = {}
        for parameter in estimator.parameters:
            self.fields[parameter_field_name(parameter.name)] = _parameter_field(parameter)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        names = {parameter_field_name(p.name): p.name for p in self.estimator.parameters}
        values = {names[f]: v for f, v in cleaned.items() if f in names}
        try:
            self.parsed = self.estimator.validate(values)
        except ParameterError as exc:
            for name, messages in exc.errors.items():
                field = parameter_field_name(name)
                self.add_error(field if field in self.fields else None, messages)
        return cleaned

    def groups(self) -> list[dict[str, Any]]:
        """The fields by group, in the schema's order: ``label``, ``fields`` ((bound field,
        parameter) pairs), ``help`` (a family's shared help, shown once) and ``table``
        (a family whose parameters name columns: ``columns`` and ``rows`` of fields)."""
        result: list[dict[str, Any]] = []
        for parameter in self.estimator.parameters:
            bound = self[parameter_field_name(parameter.name)]
            if not result or result[-1]["label"] != parameter.group:
                result.append({"label": parameter.group, "fields": [], "help": "", "table": None})
            result[-1]["fields"].append((bound, parameter))
        for group in result:
            parameters = [p for _bound, p in group["fields"]]
            if not all("." in p.name for p in parameters):
                continue
            helps = dict.fromkeys(str(p.help) for p in parameters if p.help)
            group["help"] = " ".join(helps)
            if all(p.column for p in parameters):
                columns = list(dict.fromkeys(str(p.column) for p in parameters))
                rows: dict[str, tuple[Any, list[Any]]] = {}
                for bound, p in group["fields"]:
                    row_key = p.name.rsplit(".", 1)[0]
                    rows.setdefault(row_key, (p.label, []))[1].append(bound)
                group["table"] = {"columns": columns, "rows": list(rows.values())}
        return result


def _parameter_field(parameter: Parameter) -> forms.Field:
    family = parameter.family
    help_text = "" if family else str(parameter.help or "")
    attrs: dict[str, Any] = {}
    if parameter.column:
        attrs["aria-label"] = f"{parameter.label}, {parameter.column}"
    if parameter.kind == "str":
        if parameter.choices:
            return forms.ChoiceField(
                label=parameter.label,
                choices=parameter.choice_pairs(),
                help_text=help_text,
                widget=forms.Select(attrs=attrs),
            )
        return forms.CharField(
            label=parameter.label,
            required=not parameter.blank,
            max_length=32,
            help_text=help_text,
            widget=forms.TextInput(attrs={**attrs, "size": 8}),
        )
    attrs["step"] = "1" if parameter.kind == "int" else "any"
    if parameter.minimum is not None:
        attrs["min"] = f"{parameter.minimum:g}"
    if parameter.maximum is not None:
        attrs["max"] = f"{parameter.maximum:g}"
    if parameter.minimum is not None and parameter.maximum is not None:
        bounds = str(_("from %(min)s to %(max)s") % {"min": attrs["min"], "max": attrs["max"]})
        attrs["title"] = bounds
        if not family:
            help_text = f"{help_text} ({bounds})" if help_text else bounds
    # Text, not FloatField: the estimator's validate() parses and checks the range.
    return forms.CharField(
        label=parameter.label,
        help_text=help_text,
        widget=forms.NumberInput(attrs=attrs),
    )


class ClimateRowForm(forms.Form):
    """One row of the climate table: the 12 monthly means (°C) of ``station``. The months
    are checked by ``climate_months_check`` (the service's check), errors per month."""

    def __init__(self, *args: Any, station: Any, month_labels: list[Any], **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"climate-{station.code}")
        kwargs.setdefault(
            "initial", {f"m{i}": v for i, v in enumerate(station.monthly_mean_c, start=1)}
        )
        super().__init__(*args, **kwargs)
        self.station = station
        self.values: list[float] = []
        for month, label in enumerate(month_labels, start=1):
            self.fields[f"m{month}"] = forms.CharField(
                label=label,
                widget=forms.NumberInput(
                    attrs={
                        "step": "0.1",
                        "min": f"{MONTHLY_MEAN_RANGE[0]:g}",
                        "max": f"{MONTHLY_MEAN_RANGE[1]:g}",
                        "form": f"climate-form-{station.code}",
                        "class": "cell-input",
                        "aria-label": f"{station.name}, {label}, °C",
                    }
                ),
            )

    def month_fields(self) -> list[Any]:
        return [self[f"m{i}"] for i in range(1, 13)]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if any(f"m{i}" not in cleaned for i in range(1, 13)):
            return cleaned
        try:
            self.values = climate_months_check([cleaned[f"m{i}"] for i in range(1, 13)])
        except InvalidInput as exc:
            for month, messages in exc.details.get("monthly_mean_c", {}).items():
                self.add_error(f"m{month}", messages)
        return cleaned
