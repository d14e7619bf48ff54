"""API of the places domain."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from reliefops.core.errors import InvalidInput, NotFound
from reliefops.core.i18n import localized
from reliefops.places.choices import FacilityStatus, RoadStatus, VehicleClass
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


class AdminAreaListApi(viewsets.ReadOnlyModelViewSet[AdminArea]):
    """Administrative areas (reference data; ``in_scope=true`` keeps the caller's own)."""

    serializer_class = AdminAreaSerializer
    filterset_fields = ["level", "parent__code", "code"]
    search_fields = ["code"]
    lookup_field = "code"

    def get_queryset(self) -> Any:
        in_scope = _param(self.request, "in_scope").lower() in {"1", "true"}
        return admin_area_list(actor=self.request.user, in_scope=in_scope)


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
        fields = [
            "id",
            "code",
            "kind",
            "name",
            "names",
            "latitude",
            "longitude",
            "admin0",
            "admin1",
            "admin2",
            "geonames_id",
            "source",
        ]

    def get_name(self, obj: Place) -> str:
        return obj.name


class PlaceDetailSerializer(PlaceSerializer):
    all_names = PlaceNameSerializer(source="place_names", many=True, read_only=True)
    population_estimates = PopulationEstimateSerializer(many=True, read_only=True)

    class Meta(PlaceSerializer.Meta):
        fields = [*PlaceSerializer.Meta.fields, "all_names", "population_estimates"]


def _param(request: Request, name: str, default: str = "") -> str:
    """A query parameter as text; control characters (NUL …) are refused with a 400."""
    value = request.query_params.get(name, default) or ""
    if any(ord(ch) < 32 for ch in value):
        raise InvalidInput(code="invalid_parameter", parameter=name)
    return value


def _area_param(request: Request) -> AdminArea | None:
    code = _param(request, "area")
    if not code:
        return None
    area = AdminArea.objects.filter(code=code).first()
    if area is None:
        raise InvalidInput(code="unknown_area", area=code)
    return area


class PlaceListApi(viewsets.ReadOnlyModelViewSet[Place]):
    """Gazetteer places; ``kind``, ``area`` (admin area code, includes sub-areas) filters."""

    lookup_field = "code"
    lookup_value_regex = "[^/\\x00-\\x1f]+"

    def get_serializer_class(self) -> Any:
        return PlaceDetailSerializer if self.action == "retrieve" else PlaceSerializer

    def get_queryset(self) -> Any:
        in_scope = _param(self.request, "in_scope").lower() in {"1", "true"}
        qs = place_list(
            actor=self.request.user,
            kind=_param(self.request, "kind") or None,
            area=_area_param(self.request),
            in_scope=in_scope,
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

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, many=True, required=True),
            OpenApiParameter("area", str),
            OpenApiParameter("near", str, description="lat,lon"),
            OpenApiParameter("lang", str),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: Request) -> Response:
        queries = [q for q in request.query_params.getlist("q") if q.strip()]
        if any(any(ord(ch) < 32 for ch in q) for q in queries):
            raise InvalidInput(code="invalid_parameter", parameter="q")
        if not queries:
            raise InvalidInput(code="missing_query", parameter="q")
        if len(queries) > 100:
            raise InvalidInput(code="too_many_queries", limit=100)
        near = None
        if _param(request, "near"):
            try:
                lat, lon = (float(v) for v in _param(request, "near").split(","))
            except ValueError as exc:
                raise InvalidInput(code="invalid_near", expected="lat,lon") from exc
            near = (lat, lon)
        area = _area_param(request)
        lang = _param(request, "lang") or None
        results = [match_as_dict(place_match(q, area=area, near=near), lang) for q in queries]
        return Response({"results": results})


class FacilitySerializer(serializers.ModelSerializer[Facility]):
    name = serializers.SerializerMethodField()
    place: Any = serializers.SlugRelatedField(read_only=True, slug_field="code")
    operator: Any = serializers.SlugRelatedField(read_only=True, slug_field="acronym")

    class Meta:
        model = Facility
        fields = [
            "id",
            "code",
            "kind",
            "name",
            "names",
            "place",
            "latitude",
            "longitude",
            "operator",
            "status",
            "status_reason",
            "status_since",
            "capacity_pupils",
            "capacity_beds",
            "capacity_people",
            "heated_area_m2",
            "heating_fuel",
            "boiler_kw",
            "boiler_efficiency",
            "tank_capacity_litres",
            "operating_hours",
            "source",
        ]

    def get_name(self, obj: Facility) -> str:
        return obj.name


class FacilityStatusInputSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=FacilityStatus.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class FacilityListApi(viewsets.ReadOnlyModelViewSet[Facility]):
    """Facilities; ``kind`` (comma-separated), ``status``, ``area`` filters.
    ``POST {code}/status/`` sets operating / damaged / closed (a reason unless operating)."""

    serializer_class = FacilitySerializer
    lookup_field = "code"
    lookup_value_regex = "[^/\\x00-\\x1f]+"

    def get_queryset(self) -> Any:
        in_scope = _param(self.request, "in_scope").lower() in {"1", "true"}
        return facility_list(
            actor=self.request.user,
            kind=_param(self.request, "kind") or None,
            status=_param(self.request, "status") or None,
            area=_area_param(self.request),
            in_scope=in_scope,
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
        fields = [
            "id",
            "code",
            "name",
            "ref",
            "from_node",
            "to_node",
            "length_km",
            "speed_light_kmh",
            "speed_truck_kmh",
            "speed_heavy_kmh",
            "surface",
            "condition",
            "max_weight_t",
            "oneway",
            "status",
            "status_reason",
            "status_since",
            "source",
        ]


class RoadStatusInputSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=RoadStatus.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class RoadSegmentListApi(viewsets.ReadOnlyModelViewSet[RoadSegment]):
    """Road segments; ``status`` filter. ``POST {code}/status`` opens/restricts/closes."""

    serializer_class = RoadSegmentSerializer
    lookup_field = "code"
    lookup_value_regex = "[^/\\x00-\\x1f]+"

    def get_queryset(self) -> Any:
        return road_segment_list(
            actor=self.request.user, status=_param(self.request, "status") or None
        )

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

    @extend_schema(
        parameters=[
            OpenApiParameter("places", str, required=True, description="CODE,CODE,…"),
            OpenApiParameter("vehicle", str, enum=VehicleClass.values),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: Request) -> Response:
        codes = [c for c in _param(request, "places").split(",") if c]
        if not codes or len(codes) > 500:
            raise InvalidInput(code="invalid_places", expected="1 to 500 place codes")
        vehicle = _param(request, "vehicle", VehicleClass.TRUCK)
        if vehicle not in VehicleClass.values:
            raise InvalidInput(code="invalid_vehicle", allowed=VehicleClass.values)
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
