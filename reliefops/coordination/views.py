"""Pages of the coordination domain."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from reliefops.coordination.choices import Sector
from reliefops.coordination.filtersets import PresenceFilterSet
from reliefops.coordination.forms import PresenceForm
from reliefops.coordination.selectors import presence_list
from reliefops.coordination.services import presence_create
from reliefops.core.actions import Action
from reliefops.core.htmx import render
from reliefops.core.pages import form_page
from reliefops.core.permissions import allowed_area_ids, user_can, user_organisation_ids
from reliefops.core.queries import query_filter
from reliefops.organisations.selectors import organisation_list
from reliefops.places.models import AdminArea


def _form_choices(user):  # type: ignore[no-untyped-def]
    areas = AdminArea.objects.filter(level__gte=1).order_by("code")
    scope = allowed_area_ids(user, Action.PRESENCE_EDIT)
    if scope is not None:
        areas = areas.filter(id__in=scope)
    organisations = organisation_list(actor=user)
    org_scope = user_organisation_ids(user, Action.PRESENCE_EDIT)
    if org_scope is not None:
        organisations = organisations.filter(id__in=org_scope)
    return areas, organisations


@login_required
def presence_list_view(request: HttpRequest) -> HttpResponse:
    filters = query_filter(request, PresenceFilterSet, presence_list(actor=request.user))
    form = None
    if user_can(request.user, Action.PRESENCE_EDIT):
        areas, organisations = _form_choices(request.user)
        form = PresenceForm(request.POST or None, areas=areas, organisations=organisations)
    context = {
        "rows": filters.qs,
        "form": form,
        "sectors": Sector.choices,
        "sector": filters.form.cleaned_data.get("sector") or "",
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
    """The partner organisations (reference data every signed-in user sees)."""
    organisations = organisation_list(actor=request.user)
    return render(request, "coordination/organisation_list.html", {"organisations": organisations})
