"""Pages of the teams themselves: the list, a team's page, the team and member forms."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from reliefops.core.actions import Action
from reliefops.core.htmx import render
from reliefops.core.lists import list_page
from reliefops.core.pages import form_page
from reliefops.core.permissions import require, user_can
from reliefops.teams import services
from reliefops.teams.choices import TeamKind
from reliefops.teams.filtersets import TeamFilterSet
from reliefops.teams.forms import MemberForm, TeamForm, UnavailabilityForm
from reliefops.teams.selectors import (
    can_edit_teams,
    language_choices,
    team_facts,
    team_form_choices,
    team_get,
    team_list,
    team_member_rows,
    team_organisation_choices,
    team_upcoming_rounds,
)


@login_required
def team_list_view(request: HttpRequest) -> HttpResponse:
    lst = list_page(
        request,
        TeamFilterSet,
        team_list(actor=request.user),
        target="#team-list",
        export_kind="teams",
        form_id="team-filters",
    )
    rows = [team_facts(team) for team in lst.rows]
    return render(
        request,
        "teams/team_list.html",
        {
            "lst": lst,
            "rows": rows,
            "values": lst.values,
            "kinds": TeamKind.choices,
            "languages": language_choices(),
            "can_edit": can_edit_teams(request.user),
        },
        partial="teams/partials/team_rows.html",
    )


def _save_team(request: HttpRequest, form: TeamForm, team: Any = None) -> Any:
    data = form.cleaned_data
    fields = {k: data[k] for k in ("name", "kind", "organisation", "area", "base", "vehicle")}
    if team is None:
        return services.team_create(
            actor=request.user,
            code=data["code"],
            partner_organisations=list(data["partner_organisations"]),
            service_areas=list(data["service_areas"]),
            **fields,
        )
    return services.team_update(
        actor=request.user,
        team=team,
        partner_organisations=list(data["partner_organisations"]),
        service_areas=list(data["service_areas"]),
        **fields,
    )


@login_required
def team_create_view(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.TEAM_EDIT)
    form = TeamForm(request.POST or None, choices=team_form_choices(actor=request.user))
    page = form_page(request, "teams/team_form.html", {"form": form}, form=form)
    if request.method == "POST":
        if not form.is_valid():
            return page.render(request, status=400)
        team = _save_team(request, form)
        messages.success(request, _("Team %(code)s created.") % {"code": team.code})
        return redirect("teams:team_detail", code=team.code)
    return page.render(request)


@login_required
def team_edit_view(request: HttpRequest, code: str) -> HttpResponse:
    team = team_get(actor=request.user, code=code)
    require(request.user, Action.TEAM_EDIT)
    initial = {
        "code": team.code,
        "name": team.name,
        "kind": team.kind,
        "organisation": team.organisation,
        "partner_organisations": list(team.partner_organisations.all()),
        "area": team.area,
        "service_areas": list(team.service_areas.all()),
        "base": team.base,
        "vehicle": team.vehicle,
    }
    form = TeamForm(
        request.POST or None,
        initial=initial,
        choices=team_form_choices(actor=request.user),
        editing=True,
    )
    page = form_page(request, "teams/team_form.html", {"form": form, "team": team}, form=form)
    if request.method == "POST":
        if not form.is_valid():
            return page.render(request, status=400)
        _save_team(request, form, team)
        messages.success(request, _("Team %(code)s saved.") % {"code": team.code})
        return redirect("teams:team_detail", code=team.code)
    return page.render(request)


def _detail_context(request: HttpRequest, team: Any, **forms: Any) -> dict[str, Any]:
    can_edit = user_can(
        request.user, Action.TEAM_EDIT, area=team.area, organisation=team.organisation
    )
    return {
        "team": team,
        "facts": team_facts(team),
        "members": team_member_rows(team),
        "shifts": list(team.shifts.all()),
        "spells": list(team.unavailability.filter(ends_on__gte=timezone.localdate())),
        "rounds": team_upcoming_rounds(actor=request.user, team=team, on=timezone.localdate()),
        "can_edit": can_edit,
        "member_form": forms.get("member_form")
        or MemberForm(organisations=team_organisation_choices(actor=request.user, team=team)),
        "spell_form": forms.get("spell_form") or UnavailabilityForm(),
    }


@login_required
def team_detail_view(request: HttpRequest, code: str) -> HttpResponse:
    team = team_get(actor=request.user, code=code)
    return render(request, "teams/team_detail.html", _detail_context(request, team))


@login_required
def member_add_view(request: HttpRequest, code: str) -> HttpResponse:
    team = team_get(actor=request.user, code=code)
    require(request.user, Action.TEAM_EDIT)
    form = MemberForm(
        request.POST or None,
        organisations=team_organisation_choices(actor=request.user, team=team),
    )
    page = form_page(
        request,
        "teams/team_detail.html",
        lambda: _detail_context(request, team, member_form=form),
        form=form,
    )
    if request.method != "POST":
        return redirect("teams:team_detail", code=team.code)
    if not form.is_valid():
        return page.render(request, status=400)
    data = form.cleaned_data
    services.member_add(
        actor=request.user,
        team=team,
        name=data["name"],
        organisation=data["organisation"],
        skills=data["skills"],
        languages=data["languages"],
        is_lead=data["is_lead"],
    )
    messages.success(request, _("Member added."))
    return redirect("teams:team_detail", code=team.code)
