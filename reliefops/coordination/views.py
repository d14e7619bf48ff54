"""Pages of the coordination domain."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from reliefops.coordination.choices import Sector
from reliefops.coordination.filtersets import OrganisationFilterSet, PresenceFilterSet
from reliefops.coordination.forms import PresenceForm
from reliefops.coordination.selectors import (
    partner_organisation_list,
    partner_sectors,
    presence_area_choices,
    presence_list,
    presence_list_areas,
    presence_list_organisations,
    presence_organisation_choices,
)
from reliefops.coordination.services import presence_create
from reliefops.core.actions import Action
from reliefops.core.htmx import render
from reliefops.core.lists import list_page
from reliefops.core.pages import form_page
from reliefops.core.permissions import user_can


@login_required
def presence_list_view(request: HttpRequest) -> HttpResponse:
    lst = list_page(
        request,
        PresenceFilterSet,
        presence_list(actor=request.user),
        target="#presence-list",
        export_kind="presence",
        form_id="presence-filters",
    )
    form = None
    if user_can(request.user, Action.PRESENCE_EDIT):
        form = PresenceForm(
            request.POST or None,
            areas=presence_area_choices(actor=request.user),
            organisations=presence_organisation_choices(actor=request.user),
        )
    context = {
        "lst": lst,
        "values": lst.values,
        "form": form,
        "sectors": Sector.choices,
        "areas": presence_list_areas(actor=request.user),
        "organisations": presence_list_organisations(actor=request.user),
    }
    page = form_page(
        request,
        "coordination/presence_list.html",
        context,
        form=form,
        partial="coordination/partials/presence_rows.html",
    )
    if form is not None and request.method == "POST" and form.is_valid():
        presence_create(actor=request.user, **form.cleaned_data)
        messages.success(request, _("Presence recorded."))
        return redirect("coordination:presence_list")
    return page.render(request)


@login_required
def organisation_list_view(request: HttpRequest) -> HttpResponse:
    """The partner organisations (reference data every signed-in user sees) and their sectors."""
    lst = list_page(
        request,
        OrganisationFilterSet,
        partner_organisation_list(actor=request.user),
        target="#organisation-list",
        export_kind="partners",
        form_id="organisation-filters",
    )
    rows = partner_sectors(actor=request.user, organisations=lst.rows)
    return render(
        request,
        "coordination/organisation_list.html",
        {"lst": lst, "values": lst.values, "rows": rows, "sectors": Sector.choices},
        partial="coordination/partials/organisation_rows.html",
    )
