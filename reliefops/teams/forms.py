"""Forms of the teams pages: a team, a member, a round, recording a visit, a step."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reliefops.core.forms import DateInput, GuidedForm
from reliefops.teams.choices import (
    CaseloadMeasure,
    HospitalService,
    ReferralReason,
    TeamKind,
    Transport,
    UnavailableReason,
    Urgency,
)
from reliefops.teams.models import Referral, Team
from reliefops.teams.selectors import (
    AGE_BANDS,
    SEXES,
    language_choices,
    outcome_choices,
    service_choices,
    skill_choices,
)


def _field(form: forms.Form, name: str) -> Any:
    """A bound form's field, for setting its choices or queryset."""
    return form.fields[name]


#: The follow-up chips of the round page (days from today; 0: none).
FOLLOW_UP_DAYS = (0, 3, 7, 14, 30)


class TeamForm(GuidedForm):
    help_from = {"partner_organisations": Team, "area": Team}

    code = forms.CharField(label=_("Code"), max_length=20)
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=TeamKind.choices)
    organisation: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Lead organisation"), queryset=None
    )
    partner_organisations: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("Other organisations"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    area: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Home area"), queryset=None)
    service_areas: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("Areas served"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    base: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Base facility"), queryset=None, required=False
    )
    vehicle: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Vehicle"), queryset=None, required=False
    )

    def __init__(self, *args: Any, choices: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _field(self, "organisation").queryset = choices.organisations
        _field(self, "organisation").label_from_instance = lambda o: o.acronym
        _field(self, "partner_organisations").queryset = choices.organisations
        _field(self, "partner_organisations").label_from_instance = lambda o: o.acronym
        _field(self, "area").queryset = choices.areas
        _field(self, "service_areas").queryset = choices.areas
        _field(self, "base").queryset = choices.bases
        _field(self, "vehicle").queryset = choices.vehicles
        _field(self, "vehicle").label_from_instance = lambda v: (
            f"{v.registration} · {v.get_kind_display()}"
        )
        if editing:
            _field(self, "code").disabled = True


class MemberForm(GuidedForm):
    name = forms.CharField(label=_("Name"), max_length=120)
    organisation: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Organisation"), queryset=None
    )
    skills = forms.MultipleChoiceField(
        label=_("Skills"), choices=(), required=False, widget=forms.CheckboxSelectMultiple
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken"),
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    is_lead = forms.BooleanField(label=_("Team lead"), required=False)

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _field(self, "organisation").queryset = organisations
        _field(self, "organisation").label_from_instance = lambda o: o.acronym
        _field(self, "skills").choices = skill_choices()
        _field(self, "languages").choices = language_choices()


class UnavailabilityForm(GuidedForm):
    starts_on = forms.DateField(label=_("From"), widget=DateInput())
    ends_on = forms.DateField(label=_("Until"), widget=DateInput())
    reason = forms.ChoiceField(label=_("Reason"), choices=UnavailableReason.choices)


class RoundForm(GuidedForm):
    team: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Team"), queryset=None, to_field_name="code"
    )
    date = forms.DateField(label=_("Date"), widget=DateInput())

    def __init__(self, *args: Any, teams: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _field(self, "team").queryset = teams


class AddToRoundForm(forms.Form):
    """People of the due list (by reference) onto a draft or planned round."""

    round = forms.CharField(max_length=30)
    person = forms.MultipleChoiceField(choices=())

    def __init__(self, *args: Any, references: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _field(self, "person").choices = [(r, r) for r in references]


class VisitForm(forms.Form):
    """A visit in a few taps: the outcome, the services (preset from the stop), a
    follow-up in N days; ``client_id`` makes a retried submission land once."""

    outcome = forms.ChoiceField(choices=(), widget=forms.RadioSelect)
    services = forms.MultipleChoiceField(
        choices=(), required=False, widget=forms.CheckboxSelectMultiple
    )
    follow_up_days = forms.TypedChoiceField(
        coerce=int, choices=[(d, d) for d in FOLLOW_UP_DAYS], required=False, empty_value=None
    )
    client_id = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, services: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _field(self, "outcome").choices = outcome_choices()
        _field(self, "services").choices = service_choices()
        if not self.is_bound:
            self.initial.setdefault("services", services or [])
            self.initial.setdefault("client_id", uuid.uuid4())
            self.initial.setdefault("follow_up_days", 0)


class StepForm(GuidedForm):
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


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
