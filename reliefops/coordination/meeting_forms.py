"""Forms of the meeting pages; the views hand in the choices the user may pick."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from reliefops.coordination.choices import LINK_KIND_CHOICES, BodyKind, MeetingKind, Sector
from reliefops.coordination.meeting_selectors import place_from_text
from reliefops.core.errors import ApplicationError
from reliefops.core.forms import DateInput, GuidedForm
from reliefops.people.choices import SpokenLanguage


class _OrganisationChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.acronym} · {obj.name}"


class _Organisations(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.acronym)


class _DecisionChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.reference} · {Truncator(' '.join(obj.text.split())).chars(70)}"


class _DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M")


def _set(form: forms.Form, name: str, queryset: Any) -> None:
    form.fields[name].queryset = queryset  # type: ignore[attr-defined]


class MeetingForm(GuidedForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=MeetingKind.choices)
    working_group: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Working group"), queryset=None, required=False
    )
    organisation = _OrganisationChoice(label=_("Convening organisation"), queryset=None)
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=_DateTimeInput())
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=_DateTimeInput(), required=False)
    place = forms.CharField(label=_("Place (any spelling, or P-code)"), max_length=200)
    organisations = _Organisations(
        label=_("Participating organisations"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    contacts: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("Participants"), queryset=None, required=False
    )
    agenda = forms.CharField(
        label=_("Agenda (one item a line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    minutes = forms.CharField(
        label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )

    def __init__(self, *args: Any, choices: dict[str, Any], editing: bool = False, **kw: Any):
        super().__init__(*args, **kw)
        for name in ("working_group", "organisation", "organisations", "contacts"):
            _set(self, name, choices[name])
        if editing:
            del self.fields["agenda"]
        self.resolved_place: Any = None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("place"):
            try:
                self.resolved_place = place_from_text(data["place"])
            except ApplicationError as exc:
                self.add_error("place", str(exc.message))
        return data

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["place"] = self.resolved_place
        data["organisations"] = list(data["organisations"])
        data["contacts"] = list(data["contacts"])
        if "agenda" in data:
            data["agenda"] = [line for line in data["agenda"].splitlines() if line.strip()]
        return data


class AgendaItemForm(GuidedForm):
    id_prefix = "agenda"
    title = forms.CharField(label=_("Agenda item"), max_length=200)


class DecisionForm(GuidedForm):
    id_prefix = "decision"
    agenda_item: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Agenda item"), queryset=None
    )
    text = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, agenda: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        _set(self, "agenda_item", agenda)


class AttachmentForm(GuidedForm):
    id_prefix = "attachment"
    file = forms.FileField(label=_("File (PDF, JPEG, PNG or WebP, up to 10 MB)"))


class ActionItemForm(GuidedForm):
    id_prefix = "action"
    title = forms.CharField(label=_("Action"), max_length=300)
    decision = _DecisionChoice(label=_("Following decision"), queryset=None, required=False)
    owner_organisation = _OrganisationChoice(label=_("Owner organisation"), queryset=None)
    owner_contact: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Owner (contact)"), queryset=None, required=False
    )
    due_date = forms.DateField(label=_("Due date"), widget=DateInput())
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, choices: dict[str, Any], **kw: Any) -> None:
        super().__init__(*args, **kw)
        for name in ("decision", "owner_organisation", "owner_contact"):
            _set(self, name, choices[name])


class DecisionRequestForm(GuidedForm):
    """The request a decision becomes: for a facility, one line (more on the request page)."""

    id_prefix = "request"

    organisation = _OrganisationChoice(label=_("Requesting organisation"), queryset=None)
    facility: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Facility"), queryset=None
    )
    item: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Item"), queryset=None)
    quantity = forms.DecimalField(label=_("Quantity"), min_value=0, max_digits=16, decimal_places=3)
    needed_from = forms.DateField(label=_("Needed from"), widget=DateInput())
    needed_by = forms.DateField(label=_("Needed by"), widget=DateInput())
    priority = forms.ChoiceField(
        label=_("Priority"),
        choices=[
            ("life_saving", _("Life-saving")),
            ("urgent", _("Urgent")),
            ("routine", _("Routine")),
        ],
        initial="urgent",
    )
    confirm_duplicate = forms.BooleanField(
        label=_("I checked the similar open requests; submit anyway"), required=False
    )
    confirm_fuel = forms.BooleanField(
        label=_("The fuel differs from the facility's heating; submit anyway"), required=False
    )

    def __init__(self, *args: Any, choices: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        _set(self, "organisation", choices.organisations)
        _set(self, "facility", choices.facilities)
        _set(self, "item", choices.items)


class StepForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class ContactForm(GuidedForm):
    name = forms.CharField(label=_("Name"), max_length=120)
    organisation = _OrganisationChoice(label=_("Organisation"), queryset=None)
    title = forms.CharField(label=_("Role or title"), max_length=120, required=False)
    phone = forms.CharField(
        label=_("Phone"), max_length=40, required=False,
        help_text=_("Stored encrypted; shown only to those who may see it, and logged."),
    )  # fmt: skip
    email = forms.EmailField(label=_("E-mail"), required=False)
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken"),
        choices=SpokenLanguage.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    areas: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("Areas"), queryset=None, required=False
    )
    working_groups: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("Working groups"), queryset=None, required=False
    )

    def __init__(self, *args: Any, choices: dict[str, Any], editing: bool = False, **kw: Any):
        super().__init__(*args, **kw)
        for name in ("organisation", "areas", "working_groups"):
            _set(self, name, choices[name])
        if editing:  # the stored details are never shown here: blank keeps them
            self.fields["phone"].help_text = _(
                "Stored encrypted and not shown here: leave blank to keep the stored phone."
            )
            self.fields["email"].help_text = _("Leave blank to keep the stored e-mail.")
            self.fields["is_active"] = forms.BooleanField(label=_("Active"), required=False)


class WorkingGroupForm(GuidedForm):
    code = forms.CharField(label=_("Code"), max_length=32)
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=BodyKind.choices)
    sector = forms.ChoiceField(
        label=_("Sector"), choices=[("", "—"), *Sector.choices], required=False
    )
    parent: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Parent body"), queryset=None, required=False
    )
    lead_organisation = _OrganisationChoice(label=_("Lead organisation"), queryset=None)
    co_lead_organisation = _OrganisationChoice(
        label=_("Co-lead organisation"), queryset=None, required=False
    )
    members = _Organisations(
        label=_("Member organisations"), queryset=None, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    areas: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("Areas covered"), queryset=None, required=False
    )

    def __init__(self, *args: Any, choices: dict[str, Any], editing: bool = False, **kw: Any):
        super().__init__(*args, **kw)
        for name in ("parent", "lead_organisation", "co_lead_organisation", "members", "areas"):
            _set(self, name, choices[name])
        if editing:  # the code stays: other records and addresses name the body by it
            del self.fields["code"]
            self.fields["is_active"] = forms.BooleanField(label=_("Active"), required=False)


class ActionItemLinkForm(GuidedForm):
    """What an action item caused, named by its reference; ``find(kind, reference)`` is the
    view's lookup (what the user may link, or what is linked, for an unlink)."""

    id_prefix = "link"
    kind = forms.ChoiceField(label=_("Kind"), choices=LINK_KIND_CHOICES)
    reference = forms.CharField(
        label=_("Reference"),
        max_length=64,
        help_text=_(
            "A request's reference, a convoy's code, a day plan's reference or a visit's id."
        ),
    )

    def __init__(self, *args: Any, find: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.find = find
        self.target: Any = None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") and data.get("reference"):
            self.target = self.find(data["kind"], data["reference"].strip())
            if self.target is None:
                self.add_error("reference", _("Nothing of this kind has this reference here."))
        return data

    def service_data(self) -> dict[str, Any]:
        return {self.cleaned_data["kind"]: [self.target]}

    def error_field(self, name: str) -> str | None:
        """A service's error about a kind of link (``requests`` …) is about the reference."""
        return "reference" if name in dict(LINK_KIND_CHOICES) else super().error_field(name)
