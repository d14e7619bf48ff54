"""The duplicates review: candidate pairs with their evidence, names only through a
logged reveal (purpose: duplicate review), merge with confirmation, or "not the same
person"."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from reliefops.core.actions import Action
from reliefops.core.htmx import render
from reliefops.core.pages import form_invalid, form_page
from reliefops.core.permissions import require
from reliefops.people import services
from reliefops.people.choices import AccessPurpose
from reliefops.people.forms import MergeForm, PairForm
from reliefops.people.selectors import duplicate_candidates, person_fields_for, person_lookup
from reliefops.people.views.common import no_store, person_display

#: The scripts ``duplicates.script_of`` tells apart.
SCRIPT_LABELS = {
    "latin": gettext_lazy("Latin"),
    "cyrillic": gettext_lazy("Cyrillic"),
    "armenian": gettext_lazy("Armenian"),
    "other": gettext_lazy("Other"),
}


def _pairs(
    request: HttpRequest, names: dict[str, str] | None = None, bound: Any = None
) -> dict[str, Any]:
    fields = person_fields_for(request.user)
    pairs = []
    for candidate in duplicate_candidates(request.user):
        evidence = candidate.evidence
        key = f"{candidate.first.reference}|{candidate.second.reference}"
        similarity = float(evidence.get("name_similarity") or 0)
        shown = names if names and names.get("key") == key else None
        first = person_display(candidate.first, fields)
        second = person_display(candidate.second, fields)
        pairs.append(
            {
                "key": key,
                "first": first,
                "second": second,
                "sides": [
                    {"tag": "first", "person": first, "name": (shown or {}).get("first")},
                    {"tag": "second", "person": second, "name": (shown or {}).get("second")},
                ],
                "score": round(candidate.score * 100),
                "similarity": round(similarity * 100),
                "scripts": [str(SCRIPT_LABELS.get(s, s)) for s in evidence.get("scripts", [])],
                "year_difference": evidence.get("year_difference"),
                "same_place": evidence.get("same_place"),
                "names": shown,
                "bound": bound if bound is not None and bound.key == key else None,
            }
        )
    return {"pairs": pairs}


@login_required
def duplicate_list_view(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.PERSON_MERGE)
    return render(request, "people/duplicates.html", _pairs(request))


def _pair(request: HttpRequest, form_class: Any) -> tuple[Any, Any, Any]:
    require(request.user, Action.PERSON_MERGE)
    form = form_class(request.POST)
    form.key = f"{request.POST.get('first', '')}|{request.POST.get('second', '')}"
    page = form_page(
        request, "people/duplicates.html", lambda: _pairs(request, bound=form), form=form
    )
    if not form.is_valid():
        raise form_invalid(form)
    data = form.cleaned_data
    first = person_lookup(request.user, data["first"])
    second = person_lookup(request.user, data["second"])
    return (first, second, page)


@login_required
@require_POST
def duplicate_reveal_view(request: HttpRequest) -> HttpResponse:
    """Both names of one pair, logged as a duplicate review; shown on this response only."""
    first, second, _page = _pair(request, PairForm)
    names = {"key": f"{first.reference}|{second.reference}"}
    for tag, person in (("first", first), ("second", second)):
        names[tag] = services.identity_reveal(
            actor=request.user,
            person=person,
            fields=["full_name"],
            purpose=AccessPurpose.DUPLICATE_REVIEW,
        ).get("full_name", "")
    return no_store(render(request, "people/duplicates.html", _pairs(request, names=names)))


@login_required
@require_POST
def duplicate_merge_view(request: HttpRequest) -> HttpResponse:
    first, second, _page = _pair(request, MergeForm)
    keep_first = request.POST.get("keep", "first") != "second"
    survivor, duplicate = (first, second) if keep_first else (second, first)
    evidence = next(
        (
            c.evidence
            for c in duplicate_candidates(request.user, person=survivor)
            if duplicate.pk in (c.first.pk, c.second.pk)
        ),
        {},
    )
    services.person_merge(
        actor=request.user, survivor=survivor, duplicate=duplicate, evidence=evidence
    )
    messages.success(
        request,
        _("%(dup)s merged into %(keep)s.")
        % {"dup": duplicate.reference, "keep": survivor.reference},
    )
    return redirect("people:duplicates")


@login_required
@require_POST
def duplicate_dismiss_view(request: HttpRequest) -> HttpResponse:
    first, second, _page = _pair(request, PairForm)
    services.duplicate_dismiss(actor=request.user, first=first, second=second)
    messages.success(
        request,
        _("%(a)s and %(b)s are kept as different people.")
        % {"a": first.reference, "b": second.reference},
    )
    return redirect("people:duplicates")
