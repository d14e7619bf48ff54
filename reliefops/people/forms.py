"""Forms of the people registry's pages (guided: label, help, errors next to fields).

Identity fields appear in two forms only: registering (and editing) a person, and the
values a reveal returned. No form carries an identity value in a query string.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reliefops.core.forms import DateInput, GuidedForm
from reliefops.people.choices import (
    AccessPurpose,
    AgeBand,
    ConsentGivenBy,
    ConsentPurpose,
    IdentityField,
    InactiveReason,
    Mobility,
    Sex,
    SpokenLanguage,
    Vulnerability,
)
from reliefops.people.models import Person

FIRST_YEAR = 1900


def _year_max() -> int:
    return timezone.localdate().year


class PlaceChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A village by its name in the user's language (its code in the value)."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class OrganisationChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.acronym} · {obj.name}"


class PersonForm(GuidedForm):
    """Register or edit a person. ``consents`` are asked on registration only."""

    help_from = {
        "place": (Person, "place"),
        "lives_alone": Person,
    }

    full_name = forms.CharField(
        label=_("Name"),
        max_length=200,
        help_text=_(
            "As the person gives it, in any script. Stored encrypted; shown only "
            "through a logged reveal."
        ),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=40,
        required=False,
        help_text=_("Stored encrypted; shown only through a logged reveal."),
    )
    address = forms.CharField(
        label=_("Address or directions"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("How a team finds the house. Stored encrypted."),
    )
    place = PlaceChoice(
        queryset=None,
        label=_("Village or town"),
        to_field_name="code",  # type: ignore[arg-type]
    )
    year_of_birth = forms.IntegerField(
        label=_("Year of birth"),
        required=False,
        min_value=FIRST_YEAR,
        help_text=_("Leave empty if unknown and choose an age band."),
    )
    age_band = forms.ChoiceField(
        label=_("Age band"),
        choices=[("", _("From the year of birth")), *AgeBand.choices],
        required=False,
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.NOT_RECORDED)
    lives_alone = forms.BooleanField(label=_("Lives alone"), required=False)
    mobility = forms.ChoiceField(
        label=_("Mobility"), choices=Mobility.choices, initial=Mobility.INDEPENDENT
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken"),
        choices=SpokenLanguage.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("So that a team with a member who speaks them is sent."),
    )
    vulnerabilities = forms.MultipleChoiceField(
        label=_("Vulnerability categories"),
        choices=Vulnerability.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Categories only: never a diagnosis in free text."),
    )
    organisation = OrganisationChoice(
        queryset=None,  # type: ignore[arg-type]
        label=_("Registered by"),
        to_field_name="acronym",
    )
    consents = forms.MultipleChoiceField(
        label=_("The person agrees to"),
        choices=ConsentPurpose.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Read each purpose to the person. Registering needs the first one."),
    )
    consent_given_by = forms.ChoiceField(
        label=_("Consent given by"), choices=ConsentGivenBy.choices, initial=ConsentGivenBy.SELF
    )

    def __init__(
        self, *args: Any, choices: dict[str, Any], person: Person | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.person = person
        self.fields["place"].queryset = choices["places"]  # type: ignore[attr-defined]
        self.fields["organisation"].queryset = choices["organisations"]  # type: ignore[attr-defined]
        self.fields["year_of_birth"].validators.append(MaxValueValidator(_year_max()))
        self.fields["year_of_birth"].widget.attrs.update(
            {"max": _year_max(), "min": FIRST_YEAR, "inputmode": "numeric"}
        )
        if person is not None:
            for name in ("organisation", "consents", "consent_given_by"):
                del self.fields[name]
            # The name is kept unless a new one is typed (it is never shown here).
            self.fields["full_name"].required = False
            for name in IdentityField.values:
                self.fields[name].help_text = _(
                    "Leave empty to keep the value stored; type a new one to replace it."
                )
        else:
            self.fields["consents"].initial = [ConsentPurpose.REGISTRATION]
            only = list(choices["organisations"][:2])
            if len(only) == 1:  # a field worker registers for their own organisation
                self.fields["organisation"].initial = only[0].acronym

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        year = data.get("year_of_birth")
        if not data.get("age_band") and year is None and self.person is None:
            self.add_error("age_band", _("Give a year of birth or an age band."))
        return data


class ConsentForm(GuidedForm):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=ConsentPurpose.choices)
    given = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("yes", _("Agrees")), ("no", _("Refuses"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        initial="yes",
    )
    given_on = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)
    given_by = forms.ChoiceField(
        label=_("Given by"), choices=ConsentGivenBy.choices, initial=ConsentGivenBy.SELF
    )

    def clean_given_on(self) -> dt.date:
        value: dt.date = self.cleaned_data["given_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value


class ConsentWithdrawForm(GuidedForm):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=ConsentPurpose.choices)
    on = forms.DateField(label=_("Withdrawn on"), widget=DateInput(), initial=timezone.localdate)


class RevealForm(GuidedForm):
    """Which identity fields to show, and why (posted, never in a URL)."""

    show = forms.MultipleChoiceField(
        label=_("Show"),
        choices=IdentityField.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only what you need now."),
    )
    purpose = forms.ChoiceField(
        label=_("Why"),
        choices=[("", "—"), *AccessPurpose.choices],
        help_text=_("Recorded with your name and the time; the data-protection officer sees it."),
    )
    reason = forms.CharField(
        label=_("Note"), max_length=200, required=False, help_text=_("Optional, no identity.")
    )

    def error_field(self, name: str) -> str | None:
        return "show" if name == "fields" else super().error_field(name)


class DeactivateForm(GuidedForm):
    reason = forms.ChoiceField(label=_("Why"), choices=InactiveReason.choices)


class EraseForm(GuidedForm):
    """The typed confirmation of an erasure: the person's reference, and why."""

    confirm_reference = forms.CharField(
        label=_("Type the reference to confirm"),
        max_length=16,
        help_text=_(
            "Identity fields are deleted for good; the pseudonymous record and its history stay."
        ),
    )
    reason = forms.CharField(label=_("Reason"), max_length=200)

    def __init__(self, *args: Any, reference: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reference = reference

    def clean_confirm_reference(self) -> str:
        value = self.cleaned_data["confirm_reference"].strip()
        if value != self.reference:
            raise forms.ValidationError(_("This is not the person's reference."))
        return value


class PairForm(GuidedForm):
    """Two records of the duplicates review (by reference)."""

    first = forms.CharField(max_length=16)
    second = forms.CharField(max_length=16)


class MergeForm(PairForm):
    keep = forms.ChoiceField(
        label=_("Keep"),
        choices=[("first", _("the first record")), ("second", _("the second record"))],
        initial="first",
    )
    confirm = forms.BooleanField(
        label=_("I checked that both records are the same person"),
        help_text=_("The data-protection officer can undo a merge."),
    )
