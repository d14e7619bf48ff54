"""Pages of the places domain: place/facility/road details, map layers, search, travel.

The map page itself is ``reports/map.html``; it loads its side panel, its GeoJSON layers
and every detail fragment from here. Fragments live in ``templates/places/partials/``.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from reliefops.core.actions import Action
from reliefops.core.errors import ApplicationError, InvalidInput, NotFound
from reliefops.core.htmx import render
from reliefops.core.i18n import localized
from reliefops.core.pages import form_invalid, form_page
from reliefops.core.panels import detail_panels
from reliefops.core.permissions import allowed_area_ids, user_can
from reliefops.core.queries import query_params
from reliefops.places.choices import FacilityKind, PlaceKind, RoadStatus, VehicleClass
from reliefops.places.filtersets import FacilityQuery, PlaceQuery, SearchQuery, TravelQuery
from reliefops.places.forms import (
    FacilityEditForm,
    FacilityStatusForm,
    PlaceEditForm,
    PlaceNameForm,
    PopulationForm,
)
from reliefops.places.matching import AMBIGUOUS, MATCHED, place_match
from reliefops.places.models import AdminArea, Facility, RoadSegment
from reliefops.places.network import travel_matrix
from reliefops.places.selectors import (
    admin_areas_among,
    facility_geojson,
    facility_status_history,
    place_geojson,
    place_get,
    place_population,
    place_resolve,
    road_geojson,
    road_segment_area,
    road_segment_history,
)
from reliefops.places.services import (
    NameInput,
    facility_set_status,
    facility_update,
    place_name_add,
    place_update,
    population_estimate_add,
    road_segment_set_status,
)

#: Marker colour per facility kind (legend and map share it).
FACILITY_COLOURS: dict[str, str] = {
    FacilityKind.SCHOOL: "#2b6cb0",
    FacilityKind.KINDERGARTEN: "#63b3ed",
    FacilityKind.HOSPITAL: "#c53030",
    FacilityKind.FIELD_HOSPITAL: "#9b2c2c",
    FacilityKind.HEALTH_POST: "#f56565",
    FacilityKind.AMBULANCE_STATION: "#ed64a6",
    FacilityKind.FIRE_STATION: "#dd6b20",
    FacilityKind.BOILER_HOUSE: "#744210",
    FacilityKind.BAKERY: "#d69e2e",
    FacilityKind.WAREHOUSE: "#2f855a",
    FacilityKind.FUEL_DEPOT: "#4a5568",
    FacilityKind.DISTRIBUTION_POINT: "#38a169",
    FacilityKind.WATER_POINT: "#3182ce",
    FacilityKind.COLLECTIVE_SHELTER: "#805ad5",
    FacilityKind.CROSSING_POINT: "#1a202c",
    FacilityKind.OTHER: "#a0aec0",
}
ROAD_COLOURS: dict[str, str] = {
    RoadStatus.OPEN: "#2f855a",
    RoadStatus.RESTRICTED: "#dd6b20",
    RoadStatus.CLOSED: "#c53030",
}


@login_required
@require_GET
def map_panel_view(request: HttpRequest) -> HttpResponse:
    """The map's side panel: search, filters, legend and the travel-time box."""
    return render(
        request,
        "places/partials/map_panel.html",
        {
            "facility_kinds": [(k.value, k.label, FACILITY_COLOURS[k]) for k in FacilityKind],
            "place_kinds": list(PlaceKind.choices),
            "road_statuses": [(s.value, s.label, ROAD_COLOURS[s]) for s in RoadStatus],
            "vehicle_classes": list(VehicleClass.choices),
            "areas": sorted(
                AdminArea.objects.filter(level=1).only("code", "names"),
                key=lambda a: localized(a.names) or a.code,
            ),
        },
    )


@login_required
@require_GET
def places_geojson_view(request: HttpRequest) -> JsonResponse:
    query = query_params(request, PlaceQuery)
    return JsonResponse(
        place_geojson(
            actor=request.user,
            kind=query.get("kind"),
            area=query.get("area"),
            lang=get_language(),
        )
    )


@login_required
@require_GET
def facilities_geojson_view(request: HttpRequest) -> JsonResponse:
    query = query_params(request, FacilityQuery)
    data = facility_geojson(
        actor=request.user,
        kind=",".join(query.get("kind") or []) or None,
        area=query.get("area"),
        lang=get_language(),
    )
    for feature in data["features"]:
        feature["properties"]["colour"] = FACILITY_COLOURS.get(feature["properties"]["kind"])
    return JsonResponse(data)


@login_required
@require_GET
def roads_geojson_view(request: HttpRequest) -> JsonResponse:
    data = road_geojson(actor=request.user)
    for feature in data["features"]:
        feature["properties"]["colour"] = ROAD_COLOURS[feature["properties"]["status"]]
    return JsonResponse(data)


def _scope_note(area: AdminArea | None, allowed: set[Any] | None, message: Any) -> str:
    """Why a form is missing: the user may take the action (``allowed``: the areas where,
    from :func:`allowed_area_ids`; None everywhere, empty nowhere) but not in ``area``."""
    if not allowed or (area is not None and area.pk in allowed):
        return ""
    if area is None:
        return str(
            _(
                "The area of this record is not known; only a user acting for the whole "
                "installation may change it."
            )
        )
    mine = ", ".join(str(a) for a in admin_areas_among(allowed))
    return str(message) % {"areas": mine or "—", "area": str(area)}


def _geometry(lat: float, lon: float) -> dict[str, Any]:
    return {"type": "Point", "coordinates": [lon, lat]}


#: What the small map of a detail page needs besides its geometry.
def _map_settings() -> dict[str, str]:
    return {"tile_url": settings.MAP_TILE_URL, "tile_attribution": settings.MAP_TILE_ATTRIBUTION}


def _place_context(request: HttpRequest, place: Any, **forms: Any) -> dict[str, Any]:
    can_edit = user_can(request.user, Action.PLACE_EDIT, area=place.admin1)
    return {
        "place": place,
        "name": place.name_in(get_language()),
        "names": sorted(place.place_names.all(), key=lambda n: (n.language, n.name_type, n.name)),
        "population": place_population(place),
        "estimates": sorted(
            place.population_estimates.all(),
            key=lambda e: (e.as_of is not None, e.as_of),
            reverse=True,
        ),
        "facilities": sorted(place.facilities.all(), key=lambda f: f.code),
        "panels": detail_panels(request, "place", place),
        "geometry": _geometry(place.latitude, place.longitude),
        **_map_settings(),
        "can_edit": can_edit,
        "scope_note": _scope_note(
            place.admin1,
            allowed_area_ids(request.user, Action.PLACE_EDIT),
            _("You can change places in %(areas)s; this place is in %(area)s."),
        ),
        "place_form": forms.get("place_form") or (can_edit and PlaceEditForm.for_place(place)),
        "name_form": forms.get("name_form") or (can_edit and PlaceNameForm(prefix="name")),
        "population_form": forms.get("population_form")
        or (can_edit and PopulationForm(prefix="population")),
    }


@login_required
@require_GET
def place_detail_view(request: HttpRequest, code: str) -> HttpResponse:
    """A place with all its names side by side (no name preferred over another), what
    later apps add (open requests, stock) and, for its area's editors, the edit forms."""
    place = place_get(actor=request.user, code=code)
    return render(
        request,
        "places/place_detail.html",
        _place_context(request, place),
        partial="places/partials/place_detail.html",
    )


@login_required
@require_POST
def place_edit_view(request: HttpRequest, code: str) -> HttpResponse:
    """One of the place page's forms (``form``: place, name or population) through its
    service; errors re-show the page with the form (``core.pages``)."""
    place = place_get(actor=request.user, code=code)
    which = request.POST.get("form", "")
    forms = {
        "place": PlaceEditForm(request.POST, prefix="place"),
        "name": PlaceNameForm(request.POST, prefix="name"),
        "population": PopulationForm(request.POST, prefix="population"),
    }
    if which not in forms:
        raise InvalidInput(_("Unknown form."), code="unknown_form", field="form")
    form = forms[which]
    form_page(
        request,
        "places/place_detail.html",
        lambda: _place_context(request, place, **{f"{which}_form": form}),
        form=form,
    )
    if not form.is_valid():
        raise form_invalid(form)
    data = form.cleaned_data
    if which == "place":
        place_update(
            actor=request.user,
            place=place,
            kind=data["kind"],
            latitude=data["latitude"],
            longitude=data["longitude"],
            admin_code=data["area"].code if data["area"] else None,
        )
    elif which == "name":
        place_name_add(
            actor=request.user,
            place=place,
            name=NameInput(
                data["name"], data["language"], name_type=data["name_type"], source=data["source"]
            ),
        )
    else:
        population_estimate_add(
            actor=request.user,
            place=place,
            value=data["value"],
            as_of=data["as_of"],
            source=data["source"],
        )
    return redirect("places:place_detail", code=place.code)


def _facility(code: str, request: HttpRequest) -> Facility:
    facility = (
        Facility.objects.select_related("place__admin1", "operator", "warehouse")
        .filter(code=code)
        .first()
    )
    if facility is None or not user_can(request.user, Action.VIEW):
        raise NotFound(code=code)
    return facility


def _facility_context(request: HttpRequest, facility: Facility, **forms: Any) -> dict[str, Any]:
    can_edit = user_can(request.user, Action.FACILITY_EDIT, area=facility.place.admin1)
    return {
        "facility": facility,
        "name": localized(facility.names) or facility.code,
        "history": facility_status_history(facility)[:10],
        "panels": detail_panels(request, "facility", facility),
        "geometry": _geometry(facility.latitude, facility.longitude),
        **_map_settings(),
        "can_edit": can_edit,
        "scope_note": _scope_note(
            facility.place.admin1,
            allowed_area_ids(request.user, Action.FACILITY_EDIT),
            _("You can change facilities in %(areas)s; this facility is in %(area)s."),
        ),
        "facility_form": forms.get("facility_form")
        or (can_edit and FacilityEditForm.for_facility(facility)),
        "status_form": forms.get("status_form")
        or (can_edit and FacilityStatusForm(initial={"status": facility.status}, prefix="status")),
    }


@login_required
@require_GET
def facility_detail_view(request: HttpRequest, code: str) -> HttpResponse:
    facility = _facility(code, request)
    return render(
        request,
        "places/facility_detail.html",
        _facility_context(request, facility),
        partial="places/partials/facility_detail.html",
    )


@login_required
@require_POST
def facility_edit_view(request: HttpRequest, code: str) -> HttpResponse:
    """The facility page's forms (``form``: facility or status) through the services."""
    facility = _facility(code, request)
    which = request.POST.get("form", "")
    forms = {
        "facility": FacilityEditForm(request.POST, prefix="facility"),
        "status": FacilityStatusForm(request.POST, prefix="status"),
    }
    if which not in forms:
        raise InvalidInput(_("Unknown form."), code="unknown_form", field="form")
    form = forms[which]
    form_page(
        request,
        "places/facility_detail.html",
        lambda: _facility_context(request, facility, **{f"{which}_form": form}),
        form=form,
    )
    if not form.is_valid():
        raise form_invalid(form)
    if isinstance(form, FacilityEditForm):
        facility_update(
            actor=request.user,
            facility=facility,
            place=place_resolve(form.cleaned_data["place"]),
            names=form.names(),
            values=form.values(),
        )
    else:
        facility_set_status(
            actor=request.user,
            facility=facility,
            status=form.cleaned_data["status"],
            reason=form.cleaned_data["reason"],
        )
    return redirect("places:facility_detail", code=facility.code)


def _road_context(request: HttpRequest, segment: RoadSegment, **extra: Any) -> dict[str, Any]:
    area = road_segment_area(segment)
    return {
        "segment": segment,
        "routes": list(segment.routes.all()),
        "history": road_segment_history(segment)[:10],
        "can_set_status": user_can(request.user, Action.ROAD_EDIT, area=area),
        "scope_note": _scope_note(
            area,
            allowed_area_ids(request.user, Action.ROAD_EDIT),
            _(
                "You can change roads in %(areas)s; this road is in %(area)s (a road "
                "segment belongs to the area of its first end)."
            ),
        ),
        "geometry": segment.geometry
        or {
            "type": "LineString",
            "coordinates": [
                [segment.from_node.longitude, segment.from_node.latitude],
                [segment.to_node.longitude, segment.to_node.latitude],
            ],
        },
        "statuses": RoadStatus.choices,
        "colour": ROAD_COLOURS[segment.status],
        **_map_settings(),
        **extra,
    }


def _segment(code: str) -> RoadSegment:
    segment = (
        RoadSegment.objects.select_related("from_node__place__admin1", "to_node__place__admin1")
        .filter(code=code)
        .first()
    )
    if segment is None:
        raise NotFound(code=code)
    return segment


@login_required
@require_GET
def road_detail_view(request: HttpRequest, code: str) -> HttpResponse:
    if not user_can(request.user, Action.VIEW):
        raise NotFound(code=code)
    segment = _segment(code)
    return render(
        request,
        "places/road_detail.html",
        _road_context(request, segment),
        partial="places/partials/road_detail.html",
    )


class RoadStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=RoadStatus.choices)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=300)


@login_required
@require_POST
def road_status_view(request: HttpRequest, code: str) -> HttpResponse:
    """Open/restrict/close a segment (HTMX form on the map).

    A refused change (no reason, not allowed, unknown status) re-shows the fragment with
    the error and its status (``core.pages``).
    """
    segment = _segment(code)
    form = RoadStatusForm(request.POST)
    form_page(
        request,
        "places/road_detail.html",
        lambda: _road_context(request, segment),
        partial="places/partials/road_detail.html",
    )
    if not form.is_valid():
        raise form_invalid(form)
    segment = road_segment_set_status(
        actor=request.user,
        segment=segment,
        status=form.cleaned_data["status"],
        reason=form.cleaned_data["reason"],
    )
    response = render(
        request,
        "places/road_detail.html",
        _road_context(request, segment, saved=True),
        partial="places/partials/road_detail.html",
    )
    response["HX-Trigger"] = "road-status-changed"
    return response


@login_required
@require_GET
def place_search_view(request: HttpRequest) -> HttpResponse:
    """Search box of the map: the matcher's answer, with all names of the place found."""
    query = query_params(request, SearchQuery)["q"].strip()
    context: dict[str, Any] = {"query": query}
    if query:
        result = place_match(query)
        context["result"] = result
        context["ambiguous"] = result.status == AMBIGUOUS
        context["candidates"] = [
            {
                "code": c.place.code,
                "name": localized(c.place.names) or c.place.code,
                "score": round(c.score),
                "matched": c.matched_name,
            }
            for c in result.candidates
        ]
        if result.status == MATCHED and result.place is not None:
            place = place_get(actor=request.user, code=result.place.code)
            context.update(
                place=place,
                name=place.name_in(get_language()),
                score=round(result.score),
                names=sorted(
                    place.place_names.all(), key=lambda n: (n.language, n.name_type, n.name)
                ),
                population=place_population(place),
                facilities=sorted(place.facilities.all(), key=lambda f: f.code),
            )
    return render(request, "places/partials/search_result.html", context)


@login_required
@require_GET
def travel_view(request: HttpRequest) -> HttpResponse:
    """Travel time between two places named in any spelling, for a vehicle class."""
    query = query_params(request, TravelQuery)
    origin, destination, vehicle = query["from"].strip(), query["to"].strip(), query["vehicle"]
    context: dict[str, Any] = {"origin": origin, "destination": destination}
    if origin and destination:
        ends = []
        for label, query in (("from", origin), ("to", destination)):
            try:
                ends.append(place_resolve(query))
            except ApplicationError as exc:
                context["error"] = str(exc.message)
                break
            context[f"{label}_place"] = ends[-1]
            context[f"{label}_place"] = ends[-1]
        if len(ends) == 2:
            matrix = travel_matrix(ends, vehicle_class=vehicle)
            context.update(
                minutes=round(float(matrix.minutes[0, 1])),
                km=round(float(matrix.km[0, 1]), 1),
                estimated=bool(matrix.estimated[0, 1]),
                vehicle_label=VehicleClass(vehicle).label,
            )
    return render(request, "places/partials/travel.html", context)
