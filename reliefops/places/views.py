"""Pages of the places domain: place/facility/road details, map layers, search, travel.

The map page itself is ``reports/map.html``; it loads its side panel, its GeoJSON layers
and every detail fragment from here. Fragments live in ``templates/places/partials/``.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from reliefops.core.actions import Action
from reliefops.core.errors import ApplicationError, NotFound
from reliefops.core.htmx import render
from reliefops.core.i18n import localized
from reliefops.core.pages import form_invalid, form_page
from reliefops.core.permissions import user_can
from reliefops.core.queries import query_params
from reliefops.places.choices import FacilityKind, PlaceKind, RoadStatus, VehicleClass
from reliefops.places.filtersets import FacilityQuery, PlaceQuery, SearchQuery, TravelQuery
from reliefops.places.matching import AMBIGUOUS, MATCHED, place_match
from reliefops.places.models import AdminArea, Facility, RoadSegment
from reliefops.places.network import travel_route
from reliefops.places.route_geometry import travel_route_feature
from reliefops.places.selectors import (
    facility_geojson,
    place_geojson,
    place_get,
    place_population,
    place_resolve,
    road_geojson,
    road_segment_area,
    road_segment_history,
)
from reliefops.places.services import road_segment_set_status

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


@login_required
@require_GET
def place_detail_view(request: HttpRequest, code: str) -> HttpResponse:
    """A place with all its names side by side (no name preferred over another)."""
    place = place_get(actor=request.user, code=code)
    names = sorted(place.place_names.all(), key=lambda n: (n.language, n.name_type, n.name))
    return render(
        request,
        "places/place_detail.html",
        {
            "place": place,
            "name": place.name_in(get_language()),
            "names": names,
            "population": place_population(place),
            "estimates": sorted(
                place.population_estimates.all(),
                key=lambda e: (e.as_of is None, e.as_of),
                reverse=True,
            ),
            "facilities": sorted(place.facilities.all(), key=lambda f: f.code),
        },
        partial="places/partials/place_detail.html",
    )


@login_required
@require_GET
def facility_detail_view(request: HttpRequest, code: str) -> HttpResponse:
    facility = Facility.objects.select_related("place", "operator").filter(code=code).first()
    if facility is None or not user_can(request.user, Action.VIEW):
        raise NotFound(code=code)
    return render(
        request,
        "places/facility_detail.html",
        {
            "facility": facility,
            "name": localized(facility.names) or facility.code,
            "history": facility.history.order_by("-history_date")[:10],
        },
        partial="places/partials/facility_detail.html",
    )


def _road_context(request: HttpRequest, segment: RoadSegment, **extra: Any) -> dict[str, Any]:
    return {
        "segment": segment,
        "routes": list(segment.routes.all()),
        "history": road_segment_history(segment)[:10],
        "can_set_status": user_can(request.user, Action.ROAD_EDIT, area=road_segment_area(segment)),
        "statuses": RoadStatus.choices,
        "colour": ROAD_COLOURS[segment.status],
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
        if len(ends) == 2:
            route = travel_route(ends[0], ends[1], vehicle_class=vehicle)
            context.update(
                minutes=round(route.minutes),
                km=round(route.km, 1),
                estimated=route.estimated,
                vehicle_label=VehicleClass(vehicle).label,
                route=travel_route_feature(route, ends[0], ends[1]),
            )
    return render(request, "places/partials/travel.html", context)
