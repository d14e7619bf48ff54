"""Forms of the day-plan pages: plan a day, edit a draft's stop or route."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reliefops.core.forms import DateInput, GuidedForm


class AreaChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} {obj.name}"


def tomorrow() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=1)


class PlanStartForm(GuidedForm):
    """Plan a day (``services.runs.plan_run_start``)."""

    day = forms.DateField(label=_("Day"), widget=DateInput(), initial=tomorrow)
    area = AreaChoice(
        label=_("Area"),
        queryset=None,
        required=False,
        to_field_name="code",
        empty_label=_("Everywhere"),
        help_text=_("Deliveries and visits in this area; empty: everywhere."),
    )
    seconds = forms.IntegerField(
        label=_("Seconds to search"),
        min_value=1,
        max_value=600,
        initial=30,
        help_text=_("More time may find a better plan."),
    )
    seed = forms.IntegerField(
        label=_("Seed"),
        min_value=0,
        max_value=2**31 - 1,
        initial=1,
        help_text=_("The same seed and data give the same plan."),
    )

    def __init__(self, *args: Any, areas: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        area = self.fields["area"]
        assert isinstance(area, forms.ModelChoiceField)
        area.queryset = areas

    def error_field(self, name: str) -> str | None:
        return {"date": "day"}.get(name, super().error_field(name))


EDIT_KINDS = ("move", "drop", "pin", "unpin", "swap")


class PlanEditForm(forms.Form):
    """One edit of a draft, named by the problem's ids and numbers counted from 1
    (``services.edits.plan_edit``); ``version`` is the number of edits the page showed."""

    kind = forms.ChoiceField(choices=[(k, k) for k in EDIT_KINDS])
    vehicle = forms.CharField(required=False, max_length=100)
    team = forms.CharField(required=False, max_length=100)
    trip = forms.IntegerField(required=False, min_value=1)
    position = forms.IntegerField(required=False, min_value=1)
    to_vehicle = forms.CharField(required=False, max_length=100, label=_("Vehicle"))
    to_team = forms.CharField(required=False, max_length=100, label=_("Team"))
    to_trip = forms.IntegerField(required=False, min_value=1, label=_("Trip"))
    to_position = forms.IntegerField(required=False, min_value=1, label=_("Position"))
    version = forms.IntegerField(required=False, min_value=0)

    def edit(self) -> dict[str, Any]:
        """The edit as the service takes it (empty fields left out)."""
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
