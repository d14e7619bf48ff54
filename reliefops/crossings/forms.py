"""Forms of the crossings pages: a flow count (record or correct), a crossing point's
setting, a population baseline. Field names are the services' (``female_0_4``,
``persons`` …), so an error a service raises lands next to the field it names."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reliefops.core.demography import AgeBand, Sex
from reliefops.core.forms import DateInput, GuidedForm
from reliefops.crossings.choices import CELLS, CountMethod, Direction, cell_field
from reliefops.crossings.models import CrossingCount, CrossingPointSetting
from reliefops.crossings.services import CountInput

DIRECTION_SHORT = {Direction.OUTBOUND: _("outbound"), Direction.INBOUND: _("inbound")}
CELL_ATTRS = {"class": "cell", "inputmode": "numeric", "min": "0"}


def _cell_input() -> forms.IntegerField:
    return forms.IntegerField(
        required=False, min_value=0, widget=forms.NumberInput(attrs=CELL_ATTRS)
    )


class CountForm(GuidedForm):
    """A flow count: where, when, which way, how many (by sex × age band or in total)."""

    help_from = {
        "hour": CrossingCount,
        "persons": CrossingCount,
        "organisation": CrossingCount,
        "source": CrossingCount,
    }

    crossing_point: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Crossing point"), queryset=None
    )
    date = forms.DateField(label=_("Date"), widget=DateInput())
    hour = forms.IntegerField(label=_("Hour"), required=False, min_value=0, max_value=23)
    direction = forms.ChoiceField(label=_("Direction"), choices=Direction.choices)
    persons = forms.IntegerField(label=_("Persons in total"), required=False, min_value=0)
    vehicles = forms.IntegerField(label=_("Vehicles"), required=False, min_value=0)
    method = forms.ChoiceField(
        label=_("Method"), choices=CountMethod.choices, initial=CountMethod.COUNT
    )
    organisation: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Counted by"), queryset=None
    )
    source = forms.CharField(label=_("Source"), max_length=200, required=False)
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=300,
        required=False,
        help_text=_("Required when the count corrects figures already recorded."),
    )

    def __init__(
        self,
        *args: Any,
        points: Any,
        organisations: Any,
        setting: CrossingPointSetting | None = None,
        correcting: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        for sex, band in CELLS:
            self.fields[cell_field(sex, band)] = _cell_input()
        point = self.fields["crossing_point"]
        point.queryset = points  # type: ignore[attr-defined]
        point.label_from_instance = lambda f: f"{f.name} ({f.code})"  # type: ignore[attr-defined]
        org = self.fields["organisation"]
        org.queryset = organisations  # type: ignore[attr-defined]
        org.label_from_instance = lambda o: o.acronym  # type: ignore[attr-defined]
        self.fields["persons"].help_text = _(
            "Leave empty when you give the cells by sex and age: their sum is the total."
        )
        if setting is not None:  # the crossing point's words first ("towards Goris")
            cast(forms.ChoiceField, self.fields["direction"]).choices = [
                (value, f"{setting.direction_label(value)} ({DIRECTION_SHORT[value]})")
                for value, _label in Direction.choices
            ]
        if correcting:
            self.fields["reason"].required = True
        if not self.is_bound and "date" not in self.initial:
            self.initial["date"] = timezone.localdate()

    def error_field(self, name: str) -> str | None:
        return "persons" if name == "cells" else super().error_field(name)

    def sex_labels(self) -> list[str]:
        return [str(label) for label in Sex.labels]

    def cell_rows(self) -> list[dict[str, Any]]:
        """The grid: one row per age band with one input per sex."""
        return [
            {"band": label, "inputs": [self[cell_field(sex, band)] for sex in Sex.values]}
            for band, label in AgeBand.choices
        ]

    def to_input(self) -> CountInput:
        data = self.cleaned_data
        return CountInput(
            crossing_point=data["crossing_point"],
            date=data["date"],
            direction=data["direction"],
            hour=data["hour"],
            cells={cell_field(s, b): data.get(cell_field(s, b)) for s, b in CELLS},
            persons=data["persons"],
            vehicles=data["vehicles"],
            organisation=data["organisation"],
            source=data["source"],
            method=data["method"],
            notes=data["notes"],
        )


def count_initial(count: CrossingCount) -> dict[str, Any]:
    """A record's values as the form's initial data (the correction form)."""
    initial: dict[str, Any] = {
        name: getattr(count, name)
        for name in ("date", "hour", "direction", "vehicles", "source", "method", "notes")
    }
    initial.update(count.cells)
    initial["crossing_point"] = count.crossing_point
    initial["organisation"] = count.organisation
    initial["persons"] = None if count.broken_down else count.persons
    return initial


class SettingForm(GuidedForm):
    """A crossing point's catchment and the words for its two directions."""

    help_from = {"catchment": CrossingPointSetting}

    form = forms.CharField(widget=forms.HiddenInput, initial="setting")
    catchment: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("Catchment"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, areas: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["catchment"]
        field.queryset = areas  # type: ignore[attr-defined]
        field.label_from_instance = lambda a: f"{a.code} · {a.name}"  # type: ignore[attr-defined]
        for direction, label in (
            ("outbound", _("Outbound reads (%(lang)s)")),
            ("inbound", _("Inbound reads (%(lang)s)")),
        ):
            for lang, _name in settings.LANGUAGES:
                self.fields[f"{direction}_{lang}"] = forms.CharField(
                    label=label % {"lang": lang}, max_length=100, required=False
                )

    def labels(self, direction: str) -> dict[str, str]:
        return {
            lang: self.cleaned_data.get(f"{direction}_{lang}", "")
            for lang, _name in settings.LANGUAGES
        }

    def error_field(self, name: str) -> str | None:
        if name in ("outbound_labels", "inbound_labels"):
            return f"{name.split('_')[0]}_{settings.LANGUAGES[0][0]}"
        return super().error_field(name)


def setting_initial(setting: CrossingPointSetting | None) -> dict[str, Any]:
    if setting is None:
        return {}
    initial: dict[str, Any] = {"catchment": list(setting.catchment.all())}
    for lang, _name in settings.LANGUAGES:
        initial[f"outbound_{lang}"] = (setting.outbound_labels or {}).get(lang, "")
        initial[f"inbound_{lang}"] = (setting.inbound_labels or {}).get(lang, "")
    return initial


class BaselineForm(GuidedForm):
    """A population baseline: a figure for a place, as of a day, from a named source."""

    place = forms.CharField(
        label=_("Place (P-code)"), max_length=32, help_text=_("For example AZ-G146970.")
    )
    population = forms.IntegerField(label=_("Population"), min_value=0, max_value=50_000_000)
    as_of = forms.DateField(label=_("As of"), required=False, widget=DateInput())
    source = forms.CharField(label=_("Source"), max_length=200)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
