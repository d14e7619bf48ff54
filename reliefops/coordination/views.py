"""Pages of the coordination domain."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from reliefops.coordination.choices import Sector
from reliefops.coordination.forms import PresenceForm
from reliefops.coordination.selectors import presence_list
from reliefops.coordination.services import presence_create
from reliefops.core.actions import Action
from reliefops.core.errors import ApplicationError
from reliefops.core.htmx import render
from reliefops.core.permissions import allowed_area_ids, user_can, user_organisation_ids
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
    sector = request.GET.get("sector", "")
    rows = presence_list(actor=request.user, filters={"sector": sector})
    can_edit = user_can(request.user, Action.PRESENCE_EDIT)
    form = None
    if can_edit:
        areas, organisations = _form_choices(request.user)
        form = PresenceForm(request.POST or None, areas=areas, organisations=organisations)
        if request.method == "POST" and form.is_valid():
            try:
                presence_create(actor=request.user, **form.cleaned_data)
            except ApplicationError as exc:
                form.add_error(None, str(exc.message))
            else:
                messages.success(request, _("Presence recorded."))
                return redirect("coordination:presence_list")
    return render(
        request,
        "coordination/presence_list.html",
        {"rows": rows, "form": form, "sectors": Sector.choices, "sector": sector},
        partial="coordination/partials/presence_rows.html",
    )


@login_required
def organisation_list_view(request: HttpRequest) -> HttpResponse:
    """The partner organisations (reference data every signed-in user sees)."""
    organisations = organisation_list(actor=request.user)
    return render(request, "coordination/organisation_list.html", {"organisations": organisations})
