"""Forms of the needs pages (input parsing only; rules live in the services)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from reliefops.core.forms import DateInput
from reliefops.needs.choices import Priority, RequesterKind, RequestSource, ServiceType

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


class EstimatorForm(forms.Form):
    parameters = forms.JSONField(
        label=_("Parameters (JSON, over the defaults)"), widget=forms.Textarea(attrs={"rows": 12})
    )
