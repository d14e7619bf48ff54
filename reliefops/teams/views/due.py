"""The due list and map: who must be visited, why, and since when; "add to round"."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reliefops.core.actions import Action
from reliefops.core.errors import InvalidInput
from reliefops.core.htmx import render
from reliefops.core.permissions import require, user_can
from reliefops.teams import services
from reliefops.teams.forms import AddToRoundForm
from reliefops.teams.models import CoverageRule
from reliefops.teams.selectors import (
    DueRow,
    due_villages,
    people_due,
    person_for_visit,
    round_get,
    rounds_open_for,
    team_list,
)

SORTS: dict[str, Any] = {
    "reference": lambda r: r.person.reference,
    "village": lambda r: (str(r.person.place.name), r.person.reference),
    "overdue": lambda r: (r.days_overdue, r.person.reference),
    "due": lambda r: (r.due_date, r.person.reference),
    "last_visit": lambda r: r.last_visit or dt.datetime.min.replace(tzinfo=dt.UTC),
}
PAGE_SIZE = 50


def _filtered(request: HttpRequest, on: dt.date) -> tuple[list[DueRow], dict[str, Any], Any]:
    params: dict[str, Any] = {
        k: (request.GET.get(k) or "").strip() for k in ("area", "team", "village", "rule", "o")
    }
    params["overdue"] = request.GET.get("overdue") == "1"
    teams = list(team_list(actor=request.user))
    team = next((t for t in teams if t.code == params["team"]), None)
    if params["team"] and team is None:
        raise InvalidInput(_("Unknown team."), field="team")
    rows = people_due(request.user, on=on, team=team, overdue_only=params["overdue"])
    if params["area"]:
        rows = [
            r for r in rows if r.person.area is not None and r.person.area.code == params["area"]
        ]
    if params["village"]:
        rows = [r for r in rows if r.person.place.code == params["village"]]
    if params["rule"]:
        rows = [r for r in rows if params["rule"] in r.rule_codes]
    sort = params["o"].lstrip("-")
    if sort in SORTS:
        rows.sort(key=SORTS[sort], reverse=params["o"].startswith("-"))
    return rows, params, teams


@login_required
def due_list_view(request: HttpRequest) -> HttpResponse:
    """The due list and map (people the user may read; counts on the map suppressed)."""
    require(request.user, Action.PERSON_READ)
    on = timezone.localdate()
    rows, params, teams = _filtered(request, on)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page") or 1)
    villages = sorted(
        {(r.person.place.code, str(r.person.place.name)) for r in rows}, key=lambda v: v[1]
    )
    areas = sorted({(r.person.area.code, str(r.person.area.name)) for r in rows if r.person.area})
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("o", None)
    return render(
        request,
        "teams/due_list.html",
        {
            "on": on,
            "rows": page.object_list,
            "page": page,
            "total": len(rows),
            "params": params,
            "query": query.urlencode(),
            "teams": teams,
            "villages": villages,
            "areas": areas,
            "rules": CoverageRule.objects.filter(is_active=True),
            "geometry": due_villages(rows),
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
