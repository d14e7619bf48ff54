"""The due list and map: who must be visited, why, and since when; "add to round"."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import F, OrderBy, Value
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Coalesce, NullIf
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reliefops.core.actions import Action
from reliefops.core.errors import InvalidInput
from reliefops.core.htmx import render
from reliefops.core.i18n import language_order, localized
from reliefops.core.permissions import require, user_can
from reliefops.teams import services
from reliefops.teams.forms import AddToRoundForm
from reliefops.teams.models import CoverageRule
from reliefops.teams.selectors import (
    due_on,
    due_row_list,
    due_scope,
    due_villages,
    person_for_visit,
    round_get,
    rounds_open_for,
    team_scope,
)


def _village_name() -> Any:
    """The village's name as the page shows it (:func:`~reliefops.core.i18n.localized`:
    the page's language, then the fallback order; its code where it has no name)."""
    names = [NullIf(KeyTextTransform(code, "place__names"), Value("")) for code in language_order()]
    return Coalesce(*names, F("place__code"))


#: The list's sorts (``o``, ``-`` for the reverse): the database orders and pages.
SORTS: dict[str, Any] = {
    "reference": lambda: [F("reference")],
    "village": lambda: [_village_name(), F("reference")],
    "overdue": lambda: [F("due__due_date").desc(), F("reference")],
    "due": lambda: [F("due__due_date"), F("reference")],
    "last_visit": lambda: [F("due__last_visit_at").asc(nulls_first=True), F("reference")],
}
PAGE_SIZE = 50


def _ordering(param: str) -> list[Any]:
    sort = param.lstrip("-")
    if sort not in SORTS:
        return [F("due__due_date"), F("reference")]  # most overdue first
    keys = SORTS[sort]()
    if not param.startswith("-"):
        return keys
    reversed_keys = []
    for key in keys:
        if isinstance(key, OrderBy):
            key = key.copy()
            key.reverse_ordering()  # (nulls first become nulls last)
        else:
            key = key.desc()
        reversed_keys.append(key)
    return reversed_keys


def _filtered(request: HttpRequest, on: dt.date) -> tuple[Any, dict[str, Any], Any]:
    params: dict[str, Any] = {
        k: (request.GET.get(k) or "").strip() for k in ("area", "team", "village", "rule", "o")
    }
    params["overdue"] = request.GET.get("overdue") == "1"
    teams = list(
        team_scope(request.user)
        .select_related(None)
        .only("pk", "code", "name", "area_id")
        .order_by("code")
    )
    team = next((t for t in teams if t.code == params["team"]), None)
    if params["team"] and team is None:
        raise InvalidInput(_("Unknown team."), field="team")
    people = due_on(due_scope(request.user, team=team), on, overdue_only=params["overdue"])
    if params["area"]:
        people = people.filter(area__code=params["area"])
    if params["village"]:
        people = people.filter(place__code=params["village"])
    if params["rule"]:
        people = people.filter(due__rules__code=params["rule"])
    return people, params, teams


def _areas(people: Any) -> list[tuple[str, str]]:
    """(code, name) of the areas of ``people``, by name."""
    pairs = people.order_by().values_list("area__code", "area__names").distinct()
    return sorted(
        {(code, localized(names) or code) for code, names in pairs if code},
        key=lambda v: (v[1], v[0]),
    )


@login_required
def due_list_view(request: HttpRequest) -> HttpResponse:
    """The due list and map (people the user may read; counts on the map suppressed)."""
    require(request.user, Action.PERSON_READ)
    on = timezone.localdate()
    people, params, teams = _filtered(request, on)
    page = Paginator(people.order_by(*_ordering(params["o"])), PAGE_SIZE).get_page(
        request.GET.get("page") or 1
    )
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("o", None)
    geometry = due_villages(people, on=on)
    return render(
        request,
        "teams/due_list.html",
        {
            "on": on,
            "rows": due_row_list(page.object_list, on=on),
            "page": page,
            "total": page.paginator.count,
            "params": params,
            "query": query.urlencode(),
            "teams": teams,
            "villages": sorted(
                ((f["properties"]["code"], f["properties"]["name"]) for f in geometry["features"]),
                key=lambda v: (v[1], v[0]),
            ),
            "areas": _areas(people),
            "rules": CoverageRule.objects.filter(is_active=True),
            "geometry": geometry,
            "village_rows": [
                (f["properties"]["name"], f["properties"]["label"]) for f in geometry["features"]
            ],
            "open_rounds": rounds_open_for(actor=request.user, on=on),
            "can_plan": user_can(request.user, Action.ROUND_PLAN),
            "tile_url": settings.MAP_TILE_URL,
            "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        },
        partial="teams/partials/due_rows.html",
    )


@login_required
@require_POST
def due_add_view(request: HttpRequest) -> HttpResponse:
    """Put the people ticked on the due list onto a draft or planned round."""
    require(request.user, Action.ROUND_PLAN)
    references = request.POST.getlist("person")
    form = AddToRoundForm(request.POST, references=references)
    if not form.is_valid() or not references:
        raise InvalidInput(_("Choose a round and at least one person."), field="person")
    rnd = round_get(actor=request.user, reference=form.cleaned_data["round"])
    added = 0
    for reference in references:
        person = person_for_visit(actor=request.user, reference=reference)
        services.round_stop_add(actor=request.user, round=rnd, stop=services.StopInput(person))
        added += 1
    messages.success(
        request,
        _("%(n)s added to round %(round)s.") % {"n": added, "round": rnd.reference},
    )
    return redirect("teams:round_detail", reference=rnd.reference)
