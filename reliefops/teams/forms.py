"""Forms of the teams pages: a team, a member, a round, recording a visit, a step."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from reliefops.core.forms import DateInput, GuidedForm
from reliefops.teams.choices import TeamKind, UnavailableReason
from reliefops.teams.models import Team
from reliefops.teams.selectors import (
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
