"""Forms of the teams pages (``core.forms.GuidedForm``)."""

from __future__ import annotations

# --- added for hosp
import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reliefops.core.forms import DateInput, GuidedForm
from reliefops.teams.choices import (
    CaseloadMeasure,
    HospitalService,
    ReferralReason,
    Transport,
    Urgency,
)
from reliefops.teams.models import Referral
from reliefops.teams.selectors import AGE_BANDS, SEXES


class FacilityChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} · {obj.place.name}"


class ReferralForm(GuidedForm):
    """Refer a person (by pseudonymous reference) to a health facility."""

    help_from = {"reason": Referral, "urgency": Referral, "transport": Referral}

    person = forms.CharField(
        label=_("Person"),
        max_length=16,
        help_text=_("The person's reference (never a name)."),
    )
    facility = FacilityChoice(queryset=None, label=_("Referred to"))
    reason = forms.ChoiceField(label=_("Reason"), choices=[("", "—"), *ReferralReason.choices])
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial="routine")
    transport = forms.ChoiceField(label=_("Transport"), choices=[("", "—"), *Transport.choices])
    referred_at = forms.DateTimeField(
        label=_("Referred at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Leave empty for now."),
    )
    client_id = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, facilities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = facilities  # type: ignore[attr-defined]


class ReferralStepForm(GuidedForm):
    """One referral step: the confirmation of a ``confirm`` step, the facility of a
    transfer."""

    def __init__(
        self, *args: Any, step: str, transition: Any, facilities: Any = None, **kwargs: Any
    ) -> None:
        kwargs.setdefault("auto_id", f"id_{step}_%s")
        super().__init__(*args, **kwargs)
        self.step, self.transition = step, transition
        if "transferred_to" in transition.needs:
            self.fields["transferred_to"] = FacilityChoice(
                queryset=facilities, label=_("Transferred to")
            )
        if transition.confirm:
            self.fields["confirm"] = forms.BooleanField(
                label=transition.confirm,
                required=True,
                error_messages={"required": _("Tick the box to confirm.")},
            )


def cell_name(measure: str, age_band: str, sex: str) -> str:
    """The grid input of a cell, named as the service's error details name it."""
    return f"{measure}.{age_band}.{sex}"


class HospitalReportForm(GuidedForm):
    """The day's report: beds, services and the caseload grid (measure × age band × sex)."""

    date = forms.DateField(label=_("Day"), widget=DateInput)
    beds_total = forms.IntegerField(label=_("Beds in total"), min_value=0, max_value=100000)
    beds_available = forms.IntegerField(label=_("Beds available"), min_value=0, max_value=100000)
    services = forms.MultipleChoiceField(
        label=_("Services offered"),
        choices=HospitalService.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, cells: list[tuple[str, str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cells = cells
        bands, sexes = dict(AGE_BANDS), dict(SEXES)
        for measure, age_band, sex in cells:
            label = f"{CaseloadMeasure(measure).label} · {bands[age_band]} · {sexes[sex]}"
            self.fields[cell_name(measure, age_band, sex)] = forms.IntegerField(
                label=label,
                min_value=0,
                max_value=100000,
                required=False,
                widget=forms.NumberInput(
                    attrs={"inputmode": "numeric", "class": "cell", "aria-label": label}
                ),
            )

    def clean_date(self) -> dt.date:
        day = self.cleaned_data["date"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("A report is for today or an earlier day."))
        return day  # type: ignore[no-any-return]

    def counts(self) -> dict[tuple[str, str, str], int]:
        """Every cell of the grid (an empty cell is 0)."""
        return {cell: self.cleaned_data.get(cell_name(*cell)) or 0 for cell in self.cells}
