"""Pages of the registry: the pseudonymous list, a person's page (consent, the logged
reveal of identity, history), registering and editing a person."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reliefops.core.actions import Action
from reliefops.core.htmx import render
from reliefops.core.lists import list_page
from reliefops.core.pages import form_page
from reliefops.core.permissions import require, user_can
from reliefops.core.privacy import shown
from reliefops.people import services
from reliefops.people.choices import (
    AgeBand,
    ConsentGivenBy,
    ConsentPurpose,
    IdentityField,
    PersonStatus,
    Vulnerability,
)
from reliefops.people.filtersets import PersonFilterSet
from reliefops.people.forms import (
    ConsentForm,
    ConsentWithdrawForm,
    DeactivateForm,
    EraseForm,
    PersonForm,
    RevealForm,
)
from reliefops.people.models import Person
from reliefops.people.selectors import (
    merge_list,
    people_counts,
    person_area_choices,
    person_fields_for,
    person_form_choices,
    person_history,
    person_lookup,
    person_place_choices,
    person_scope,
)
from reliefops.people.views.common import (
    VULNERABILITY_LABELS,
    displays,
    gate,
    no_store,
    person_display,
)

# --------------------------------------------------------------------------- the list


@login_required
def person_list_view(request: HttpRequest) -> HttpResponse:
    """The people the user may see, pseudonymous: filtered, sorted and paged."""
    gate(request)
    lst = list_page(
        request,
        PersonFilterSet,
        person_scope(request.user).select_related("organisation"),
        target="#person-list",
        form_id="person-filters",
    )
    counts = [
        {"label": VULNERABILITY_LABELS.get(c["key"], c["key"]), "count": shown(c["count"])}
        for c in people_counts(request.user, by="vulnerability")
    ]
    return render(
        request,
        "people/person_list.html",
        {
            "lst": lst,
            "values": lst.values,
            "rows": displays(request, lst.rows),
            "fields": person_fields_for(request.user),
            "areas": person_area_choices(request.user),
            "places": person_place_choices(request.user),
            "vulnerabilities": Vulnerability.choices,
            "age_bands": AgeBand.choices,
            "statuses": PersonStatus.choices,
            "counts": counts,
            "can_register": user_can(request.user, Action.PERSON_REGISTER),
            "can_review": user_can(request.user, Action.PERSON_MERGE),
            "can_log": user_can(request.user, Action.ACCESS_LOG_VIEW),
        },
        partial="people/partials/person_rows.html",
    )


# --------------------------------------------------------------------------- register, edit


def _person_input(data: dict[str, Any]) -> services.PersonInput:
    today = timezone.localdate()
    chosen = set(data.get("consents") or [])
    return services.PersonInput(
        full_name=data["full_name"],
        phone=data.get("phone") or "",
        address=data.get("address") or "",
        year_of_birth=data.get("year_of_birth"),
        age_band=data.get("age_band") or "",
        sex=data["sex"],
        place=data["place"],
        lives_alone=bool(data.get("lives_alone")),
        mobility=data["mobility"],
        languages=list(data.get("languages") or []),
        vulnerabilities=list(data.get("vulnerabilities") or []),
        organisation=data["organisation"],
        registered_on=today,
        consents=[
            services.ConsentInput(
                p, p in chosen, today, data.get("consent_given_by") or ConsentGivenBy.SELF
            )
            for p in ConsentPurpose.values
        ],
    )


@login_required
def person_create_view(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.PERSON_REGISTER)
    form = PersonForm(request.POST or None, choices=person_form_choices(request.user))
    page = form_page(request, "people/person_form.html", {"form": form, "person": None}, form=form)
    if request.method == "POST":
        if not form.is_valid():
            return page.render(request, status=400)
        person = services.person_register(actor=request.user, data=_person_input(form.cleaned_data))
        messages.success(request, _("%(ref)s registered.") % {"ref": person.reference})
        return redirect("people:person_detail", reference=person.reference)
    return page.render(request)


def _initial(person: Person) -> dict[str, Any]:
    return {
        "place": person.place.code,
        "year_of_birth": person.year_of_birth,
        "age_band": person.age_band,
        "sex": person.sex,
        "lives_alone": person.lives_alone,
        "mobility": person.mobility,
        "languages": person.languages,
        "vulnerabilities": person.vulnerabilities,
    }


@login_required
def person_edit_view(request: HttpRequest, reference: str) -> HttpResponse:
    """Edit the pseudonymous fields; identity fields are replaced only when typed anew
    (the page never shows the stored values)."""
    gate(request)
    person = person_lookup(request.user, reference)
    require(request.user, Action.PERSON_EDIT, area=person.area)
    form = PersonForm(
        request.POST or None,
        choices=person_form_choices(request.user),
        person=person,
        initial=_initial(person),
    )
    page = form_page(
        request, "people/person_form.html", {"form": form, "person": person}, form=form
    )
    if request.method == "POST":
        if not form.is_valid():
            return page.render(request, status=400)
        data = form.cleaned_data
        changes: dict[str, Any] = {
            name: data[name]
            for name in (
                "year_of_birth",
                "age_band",
                "sex",
                "place",
                "lives_alone",
                "mobility",
                "languages",
                "vulnerabilities",
            )
        }
        for name in IdentityField.values:
            if data.get(name):
                changes[name] = data[name]
        services.person_update(actor=request.user, person=person, changes=changes)
        messages.success(request, _("%(ref)s saved.") % {"ref": person.reference})
        return redirect("people:person_detail", reference=person.reference)
    return page.render(request)


# --------------------------------------------------------------------------- the person


def _consents(person: Person) -> list[dict[str, Any]]:
    state = services.consent_in_force(person)
    latest: dict[str, Any] = {}
    for consent in person.consents.order_by("-given_on", "-created_at"):
        latest.setdefault(consent.purpose, consent)
    return [
        {
            "purpose": purpose,
            "label": label,
            "allowed": state.get(purpose, False),
            "record": latest.get(purpose),
        }
        for purpose, label in ConsentPurpose.choices
    ]


def _history(user: Any, person: Person) -> list[dict[str, Any]]:
    """The record's changes with each changed field named in the user's language."""
    rows = person_history(user, person)
    for row in rows:
        row["fields"] = [_field_label(name) for name in row.get("fields", [])]
    return rows


def _field_label(name: str) -> str:
    try:
        field = Person._meta.get_field(name)
    except Exception:
        return name
    return str(getattr(field, "verbose_name", name))


def person_context(
    request: HttpRequest,
    person: Person,
    *,
    bound: Any = None,
    identity: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The person's page: pseudonymous facts, consent per purpose, the reveal form, the
    history; ``bound`` a form a refused POST re-shows; ``identity`` what a reveal gave."""
    user = request.user
    area = person.area
    forms: dict[str, Any] = {
        "consent": ConsentForm(prefix="consent"),
        "withdraw": ConsentWithdrawForm(prefix="withdraw"),
        "reveal": RevealForm(prefix="reveal"),
        "deactivate": DeactivateForm(prefix="deactivate"),
        "erase": EraseForm(prefix="erase", reference=person.reference),
    }
    if bound is not None:
        forms[bound.prefix] = bound
    merges = [m for m in merge_list(user) if person.pk in (m.survivor_id, m.duplicate_id)]
    open_record = person.status not in (PersonStatus.MERGED, PersonStatus.ERASED)
    return {
        "person": person,
        "shown": person_display(person, person_fields_for(user)),
        "consents": _consents(person),
        "history": _history(user, person),
        "merges": merges,
        "forms": forms,
        "identity": identity,
        "identity_rows": [
            {"name": name, "label": IdentityField(name).label, "value": value}
            for name, value in (identity or {}).items()
        ],
        "can_edit": open_record and user_can(user, Action.PERSON_EDIT, area=area),
        "can_consent": open_record and user_can(user, Action.CONSENT_RECORD, area=area),
        "can_reveal": person.status != PersonStatus.ERASED
        and user_can(user, Action.PERSON_REVEAL, area=area),
        "can_erase": person.status != PersonStatus.ERASED
        and user_can(user, Action.PERSON_ERASE, area=area),
        "can_subject_access": user_can(user, Action.PERSON_SUBJECT_ACCESS, area=area),
        "can_log": user_can(user, Action.ACCESS_LOG_VIEW, area=area),
    }


@login_required
def person_detail_view(request: HttpRequest, reference: str) -> HttpResponse:
    gate(request)
    person = person_lookup(request.user, reference)
    return render(request, "people/person_detail.html", person_context(request, person))


def _person_post(request: HttpRequest, person: Person, form_class: Any, prefix: str) -> Any:
    """The bound form and its page (re-shown with the error on refusal); the view has
    checked the action on the person before the form is read."""
    kwargs = {"reference": person.reference} if form_class is EraseForm else {}
    form = form_class(request.POST, prefix=prefix, **kwargs)
    page = form_page(
        request,
        "people/person_detail.html",
        lambda: person_context(request, person, bound=form),
        form=form,
    )
    return form, page


@login_required
@require_POST
def person_reveal_view(request: HttpRequest, reference: str) -> HttpResponse:
    """The logged reveal: the values are on this response only (no-store), never in a
    URL; reloading the person's page shows them no more."""
    gate(request)
    person = person_lookup(request.user, reference)
    require(request.user, Action.PERSON_REVEAL, area=person.area)
    form, page = _person_post(request, person, RevealForm, "reveal")
    if not form.is_valid():
        return no_store(page.render(request, status=400))
    data = form.cleaned_data
    identity = services.identity_reveal(
        actor=request.user,
        person=person,
        fields=list(data["show"]),
        purpose=data["purpose"],
        reason=data.get("reason") or "",
    )
    context = person_context(request, person, identity=identity)
    return no_store(render(request, "people/person_detail.html", context))


@login_required
@require_POST
def consent_record_view(request: HttpRequest, reference: str) -> HttpResponse:
    gate(request)
    person = person_lookup(request.user, reference)
    require(request.user, Action.CONSENT_RECORD, area=person.area)
    form, page = _person_post(request, person, ConsentForm, "consent")
    if not form.is_valid():
        return page.render(request, status=400)
    data = form.cleaned_data
    services.consent_record(
        actor=request.user,
        person=person,
        purpose=data["purpose"],
        given=data["given"],
        given_on=data["given_on"],
        given_by=data["given_by"],
    )
    messages.success(request, _("Consent recorded."))
    return redirect("people:person_detail", reference=person.reference)


@login_required
@require_POST
def consent_withdraw_view(request: HttpRequest, reference: str) -> HttpResponse:
    gate(request)
    person = person_lookup(request.user, reference)
    require(request.user, Action.CONSENT_RECORD, area=person.area)
    form, page = _person_post(request, person, ConsentWithdrawForm, "withdraw")
    if not form.is_valid():
        return page.render(request, status=400)
    data = form.cleaned_data
    services.consent_withdraw(
        actor=request.user, person=person, purpose=data["purpose"], on=data["on"]
    )
    messages.success(request, _("Consent withdrawn."))
    return redirect("people:person_detail", reference=person.reference)


@login_required
@require_POST
def person_deactivate_view(request: HttpRequest, reference: str) -> HttpResponse:
    gate(request)
    person = person_lookup(request.user, reference)
    require(request.user, Action.PERSON_EDIT, area=person.area)
    form, page = _person_post(request, person, DeactivateForm, "deactivate")
    if not form.is_valid():
        return page.render(request, status=400)
    services.person_deactivate(
        actor=request.user, person=person, reason=form.cleaned_data["reason"]
    )
    messages.success(request, _("%(ref)s is no longer served.") % {"ref": person.reference})
    return redirect("people:person_detail", reference=person.reference)
