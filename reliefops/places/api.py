"""API of the places domain."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from reliefops.core.errors import InvalidInput, NotFound
from reliefops.core.i18n import localized
from reliefops.core.queries import query_params
from reliefops.places.choices import FacilityStatus, RoadStatus
from reliefops.places.fields import FACILITY, PLACE, ROAD
from reliefops.places.filtersets import (
    AdminAreaQuery,
    FacilityQuery,
    PlaceMatchQuery,
    PlaceQuery,
    RoadQuery,
    TravelMatrixQuery,
)
from reliefops.places.matching import match_as_dict, place_match
from reliefops.places.models import (
    AdminArea,
    Facility,
    Place,
    PlaceName,
    PopulationEstimate,
    RoadSegment,
)
from reliefops.places.network import travel_matrix
from reliefops.places.selectors import (
    admin_area_list,
    facility_list,
    place_list,
    road_segment_list,
    route_list,
)
from reliefops.places.services import facility_set_status, road_segment_set_status


class AdminAreaSerializer(serializers.ModelSerializer[AdminArea]):
    name = serializers.SerializerMethodField()
    parent: Any = serializers.SlugRelatedField(read_only=True, slug_field="code")

    class Meta:
        model = AdminArea
        fields = [
            "id",
            "code",
            "level",
            "parent",
            "kind",
            "name",
            "names",
            "centroid_lat",
            "centroid_lon",
        ]

    def get_name(self, obj: AdminArea) -> str:
        return localized(obj.names) or obj.code


@extend_schema_view(list=extend_schema(parameters=[AdminAreaQuery]))
class AdminAreaListApi(viewsets.ReadOnlyModelViewSet[AdminArea]):
    """Administrative areas (reference data; ``in_scope=true`` keeps the caller's own)."""

    serializer_class = AdminAreaSerializer
    filterset_fields = ["level", "parent__code", "code"]
    search_fields = ["code"]
    lookup_field = "code"

    def get_queryset(self) -> Any:
        query = _list_query(self, AdminAreaQuery)
        return admin_area_list(actor=self.request.user, in_scope=query.get("in_scope", False))


# ----------------------------------------------------------------------------------------
# Places, names, matcher, facilities, roads, travel matrix.
# ----------------------------------------------------------------------------------------


class PlaceNameSerializer(serializers.ModelSerializer[PlaceName]):
    class Meta:
        model = PlaceName
        fields = ["name", "language", "script", "name_type", "is_preferred", "source"]


class PopulationEstimateSerializer(serializers.ModelSerializer[PopulationEstimate]):
    class Meta:
        model = PopulationEstimate
        fields = ["value", "as_of", "source"]


class PlaceSerializer(serializers.ModelSerializer[Place]):
    name = serializers.SerializerMethodField()
    admin0: Any = serializers.SlugRelatedField(read_only=True, slug_field="code")
    admin1: Any = serializers.SlugRelatedField(read_only=True, slug_field="code")
    admin2: Any = serializers.SlugRelatedField(read_only=True, slug_field="code")

    class Meta:
        model = Place
        fields = ["id", *PLACE.api_names()]

    def get_name(self, obj: Place) -> str:
        return obj.name


class PlaceDetailSerializer(PlaceSerializer):
    all_names = PlaceNameSerializer(source="place_names", many=True, read_only=True)
    population_estimates = PopulationEstimateSerializer(many=True, read_only=True)

    class Meta(PlaceSerializer.Meta):
        fields = [*PlaceSerializer.Meta.fields, "all_names", "population_estimates"]


def _list_query(view: Any, serializer_class: Any) -> dict[str, Any]:
    """The declared list filters (only a list reads them; a detail URL ignores them)."""
    return query_params(view.request, serializer_class) if view.action == "list" else {}


@extend_schema_view(list=extend_schema(parameters=[PlaceQuery]))
class PlaceListApi(viewsets.ReadOnlyModelViewSet[Place]):
    """Gazetteer places; ``kind``, ``area`` (admin area code, includes sub-areas) filters."""

    lookup_field = "code"
    lookup_value_regex = "[^/\\x00-\\x1f]+"

    def get_serializer_class(self) -> Any:
        return PlaceDetailSerializer if self.action == "retrieve" else PlaceSerializer

    def get_queryset(self) -> Any:
        query = _list_query(self, PlaceQuery)
        qs = place_list(
            actor=self.request.user,
            kind=query.get("kind"),
            area=query.get("area"),
            in_scope=query.get("in_scope", False),
        )
        if self.action == "retrieve":
            qs = qs.prefetch_related("place_names", "population_estimates")
        return qs


class PlaceMatchApi(APIView):
    """Resolve spellings (``q``, repeatable) in any language or script to places.

    Optional hints: ``area`` (admin area code), ``near`` (``lat,lon``); ``lang`` picks the
    language of returned names. Each result: ``query, code, name, lat, lon, score, status,
    candidates`` (``code`` null when there is no match or it is ambiguous).
    """

    @extend_schema(parameters=[PlaceMatchQuery], responses={200: dict})
    def get(self, request: Request) -> Response:
        query = query_params(request, PlaceMatchQuery)
        queries = [q for q in query["q"] if q.strip()]
        if not queries:
            raise InvalidInput(code="missing_query", parameter="q")
        area, near, lang = query.get("area"), query.get("near"), query.get("lang") or None
        results = [match_as_dict(place_match(q, area=area, near=near), lang) for q in queries]
        return Response({"results": results})


class FacilitySerializer(serializers.ModelSerializer[Facility]):
    name = serializers.SerializerMethodField()
    place: Any = serializers.SlugRelatedField(read_only=True, slug_field="code")
    operator: Any = serializers.SlugRelatedField(read_only=True, slug_field="acronym")

    class Meta:
        model = Facility
        fields = ["id", *FACILITY.api_names()]

    def get_name(self, obj: Facility) -> str:
        return obj.name


class FacilityStatusInputSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=FacilityStatus.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


@extend_schema_view(list=extend_schema(parameters=[FacilityQuery]))
class FacilityListApi(viewsets.ReadOnlyModelViewSet[Facility]):
    """Facilities; ``kind`` (comma-separated), ``status``, ``area`` filters.
    ``POST {code}/status/`` sets operating / damaged / closed (a reason unless operating)."""

    serializer_class = FacilitySerializer
    lookup_field = "code"
    lookup_value_regex = "[^/\\x00-\\x1f]+"

    def get_queryset(self) -> Any:
        query = _list_query(self, FacilityQuery)
        return facility_list(
            actor=self.request.user,
            kind=",".join(query.get("kind") or []) or None,
            status=query.get("status"),
            area=query.get("area"),
            in_scope=query.get("in_scope", False),
        )

    @extend_schema(request=FacilityStatusInputSerializer, responses=FacilitySerializer)
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request: Request, code: str | None = None) -> Response:
        facility = self.get_object()
        data = FacilityStatusInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        facility = facility_set_status(
            actor=request.user,
            facility=facility,
            status=data.validated_data["status"],
            reason=data.validated_data["reason"],
        )
        return Response(FacilitySerializer(facility).data)


class RoadSegmentSerializer(serializers.ModelSerializer[RoadSegment]):
    from_node: Any = serializers.SlugRelatedField(read_only=True, slug_field="code")
    to_node: Any = serializers.SlugRelatedField(read_only=True, slug_field="code")

    class Meta:
        model = RoadSegment
        fields = ["id", *ROAD.api_names()]


class RoadStatusInputSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=RoadStatus.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


@extend_schema_view(list=extend_schema(parameters=[RoadQuery]))
class RoadSegmentListApi(viewsets.ReadOnlyModelViewSet[RoadSegment]):
    """Road segments; ``status`` filter. ``POST {code}/status`` opens/restricts/closes."""

    serializer_class = RoadSegmentSerializer
    lookup_field = "code"
    lookup_value_regex = "[^/\\x00-\\x1f]+"

    def get_queryset(self) -> Any:
        query = _list_query(self, RoadQuery)
        return road_segment_list(actor=self.request.user, status=query.get("status"))

    @extend_schema(request=RoadStatusInputSerializer, responses=RoadSegmentSerializer)
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request: Request, code: str | None = None) -> Response:
        segment = self.get_object()
        data = RoadStatusInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        segment = road_segment_set_status(
            actor=request.user,
            segment=segment,
            status=data.validated_data["status"],
            reason=data.validated_data["reason"],
        )
        return Response(RoadSegmentSerializer(segment).data)


class RouteListApi(APIView):
    """Named routes (ordered segments) with total length and worst current status."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request: Request) -> Response:
        return Response({"results": route_list(actor=request.user)})


class TravelMatrixApi(APIView):
    """Travel minutes and km between places: ``places=CODE,CODE,…`` (≤ 500),
    ``vehicle=light|truck|heavy``. ``estimated[i][j]`` marks straight-line estimates."""

    @extend_schema(parameters=[TravelMatrixQuery], responses={200: dict})
    def get(self, request: Request) -> Response:
        query = query_params(request, TravelMatrixQuery)
        codes, vehicle = query["places"], query["vehicle"]
        by_code = {p.code: p for p in place_list(actor=request.user).filter(code__in=codes)}
        missing = [c for c in codes if c not in by_code]
        if missing:
            raise NotFound(code="unknown_places", places=missing)
        matrix = travel_matrix([by_code[c] for c in codes], vehicle_class=vehicle)
        return Response(
            {
                "places": codes,
                "vehicle_class": vehicle,
                "minutes": [[round(v, 1) for v in row] for row in matrix.minutes.tolist()],
                "km": [[round(v, 2) for v in row] for row in matrix.km.tolist()],
                "estimated": matrix.estimated.tolist(),
            }
        )
