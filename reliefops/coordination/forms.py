from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from reliefops.coordination.choices import PEOPLE_FIELDS, AgeGroup, Sector
from reliefops.core.forms import DateInput


# --- added for fourw
class ActivityForm(forms.Form):
    """A 4W activity; the view hands in the organisations and areas the user may record
    (``activity.edit``) and a lookup of places by P-code. The people counts are one field
    per ``<planned|reached>_<sex>_<age group>`` (``choices.PEOPLE_FIELDS``); empty means
    not reported."""

    organisation: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Organisation"), queryset=None
    )
    implementing_partner: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Implementing partner"), queryset=None, required=False
    )
    donor = forms.CharField(label=_("Donor"), max_length=200, required=False)
    sector = forms.ChoiceField(label=_("Sector/Cluster"), choices=Sector.choices)
    activity = forms.CharField(label=_("Activity"), max_length=300, required=False)
    activity_code = forms.CharField(label=_("Activity code"), max_length=64, required=False)
    area: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Area"), queryset=None, required=False
    )
    place = forms.CharField(
        label=_("Location P-code"),
        max_length=32,
        required=False,
        help_text=_("Optional: a place in the area (its P-code)."),
    )
    start_date = forms.DateField(label=_("Start date"), required=False, widget=DateInput())
    end_date = forms.DateField(label=_("End date"), required=False, widget=DateInput())

    def __init__(
        self,
        *args: Any,
        areas: QuerySet[Any],
        organisations: QuerySet[Any],
        partners: QuerySet[Any],
        place_by_code: Callable[[str], Any],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.place_by_code = place_by_code
        self.fields["area"].queryset = areas  # type: ignore[attr-defined]
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["implementing_partner"].queryset = partners  # type: ignore[attr-defined]
        for name in PEOPLE_FIELDS:
            self.fields[name] = forms.IntegerField(
                label=people_label(name), min_value=0, required=False
            )

    def clean_place(self) -> Any:
        code = (self.cleaned_data.get("place") or "").strip()
        if not code:
            return None
        place = self.place_by_code(code)
        if place is None:
            raise forms.ValidationError(_("No place has this P-code."))
        return place

    def people_grid(self) -> list[dict[str, Any]]:
        """The count fields as rows (planned/reached × sex) of age-group columns."""
        rows = []
        for measure, measure_label in (("planned", _("Planned")), ("reached", _("Reached"))):
            for sex, sex_label in (("female", _("female")), ("male", _("male"))):
                rows.append(
                    {
                        "label": f"{measure_label}, {sex_label}",
                        "fields": [self[f"{measure}_{sex}_{g}"] for g in AgeGroup.values],
                    }
                )
        return rows

    @property
    def main_fields(self) -> list[Any]:
        return [self[name] for name in self.fields if name not in PEOPLE_FIELDS]


def people_label(name: str) -> str:
    """``planned_female_children`` → "Planned, female, children (0–17)"."""
    measure, sex, group = name.split("_")
    measures = {"planned": _("Planned"), "reached": _("Reached")}
    sexes = {"female": _("female"), "male": _("male")}
    return f"{measures[measure]}, {sexes[sex]}, {AgeGroup(group).label}"
