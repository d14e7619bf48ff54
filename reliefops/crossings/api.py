"""The crossings API under /api/v1/ (thin: parse, call a service or a selector, render).

``crossing-counts/``  flow counts: list (the counts list's filters), detail, POST records a
                      count (201 created; 200 when the key existed: a correction, which
                      needs ``reason``, or the same figures again), PUT/PATCH corrects one.
``crossing-points/``  the crossing points as a GeoJSON FeatureCollection with the persons
                      counted per direction over ``?days=`` (default 14) to ``?end=``;
                      ``crossing-points/{code}/`` one of them with its daily flows.
``populations/``      places with a baseline: the baseline and the estimated current
                      population with its low–high range and net flow (read-only).
"""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, URLResolver, include, path
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.request import Request as ApiRequest
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from reliefops.core.api import CodeLookupField
from reliefops.core.errors import InvalidInput
from reliefops.core.queries import query_params
from reliefops.crossings import selectors, services
from reliefops.crossings.choices import CELL_FIELDS, CountMethod, Direction
from reliefops.crossings.filtersets import CrossingCountFilterSet, PopulationFilterSet, SpanQuery
from reliefops.crossings.models import CrossingCount

MAX_COUNT = services.counts.MAX_COUNT


class CrossingCountSerializer(serializers.ModelSerializer[CrossingCount]):
    crossing_point = serializers.CharField(source="crossing_point.code", read_only=True)
    area = serializers.CharField(source="area.code", read_only=True, default=None)
    organisation = serializers.CharField(source="organisation.acronym", read_only=True)

    class Meta:
        model = CrossingCount
        fields = [
            "id",
            "crossing_point",
            "area",
            "date",
            "hour",
            "direction",
            *CELL_FIELDS,
            "persons",
            "vehicles",
            "organisation",
            "source",
            "method",
            "notes",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


def _count_field(**kwargs: Any) -> serializers.IntegerField:
    return serializers.IntegerField(
        min_value=0, max_value=MAX_COUNT, required=False, allow_null=True, default=None, **kwargs
    )


class CrossingCountInputSerializer(serializers.Serializer[Any]):
    """A count as the services take it (``crossing_count.record``)."""

    crossing_point = CodeLookupField(
        lookup=lambda _user, code: selectors.lookup_crossing_point(code),
        error_messages={"does_not_exist": _("No crossing point with this code.")},
    )
    date = serializers.DateField()
    hour = serializers.IntegerField(
        min_value=0, max_value=23, required=False, allow_null=True, default=None
    )
    direction = serializers.ChoiceField(choices=Direction.choices)
    persons = _count_field(help_text="All persons; derived from the cells when they are given.")
    vehicles = _count_field()
    organisation = CodeLookupField(
        lookup=lambda _user, acronym: selectors.lookup_organisation(acronym),
        code_name="acronym",
        required=False,
        allow_null=True,
        default=None,
        help_text="The organisation that counted (default: the caller's).",
    )
    source = serializers.CharField(  # type: ignore[assignment]  # (a field, not Field.source)
        max_length=200, required=False, allow_blank=True, default=""
    )
    method = serializers.ChoiceField(choices=CountMethod.choices, default=CountMethod.COUNT)
    notes = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    reason = serializers.CharField(
        max_length=300,
        required=False,
        allow_blank=True,
        default="",
        help_text="Why the figures of an existing count change (required then).",
    )

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields = super().get_fields()
        for name in CELL_FIELDS:
            fields[name] = _count_field()
        return fields


def _count_input(actor: Any, v: dict[str, Any]) -> services.CountInput:
    organisation = v.get("organisation") or selectors.recording_organisation_default(actor=actor)
    if organisation is None:
        raise InvalidInput(_("Say which organisation counted."), field="organisation")
    return services.CountInput(
        crossing_point=v["crossing_point"],
        date=v["date"],
        direction=v["direction"],
        hour=v.get("hour"),
        cells={name: v.get(name) for name in CELL_FIELDS},
        persons=v.get("persons"),
        vehicles=v.get("vehicles"),
        organisation=organisation,
        source=v.get("source", ""),
        method=v.get("method", CountMethod.COUNT),
        notes=v.get("notes", ""),
    )


def _current(count: CrossingCount) -> dict[str, Any]:
    """A record's values in the input's shape (what a PATCH leaves as they are)."""
    values: dict[str, Any] = {
        name: getattr(count, name)
        for name in ("date", "hour", "direction", "vehicles", "source", "method", "notes")
    }
    values.update(count.cells)
    values.update(
        crossing_point=count.crossing_point,
        organisation=count.organisation,
        persons=None if count.broken_down else count.persons,
    )
    return values


class CrossingCountApi(viewsets.GenericViewSet[CrossingCount]):
    """Flow counts (aggregate figures: every signed-in user reads them; recording is
    scoped by the crossing point's area and the recording organisation)."""

    serializer_class = CrossingCountSerializer
    filterset_class = CrossingCountFilterSet

    def get_queryset(self) -> Any:
        return selectors.crossing_count_list(actor=self.request.user)

    def list(self, request: ApiRequest) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: ApiRequest, pk: str) -> Response:
        count = selectors.crossing_count_get(actor=request.user, pk=pk)
        return Response(self.get_serializer(count).data)

    @extend_schema(
        request=CrossingCountInputSerializer,
        responses={201: CrossingCountSerializer, 200: CrossingCountSerializer},
    )
    def create(self, request: ApiRequest) -> Response:
        form = CrossingCountInputSerializer(data=request.data, context={"request": request})
        form.is_valid(raise_exception=True)
        result = services.crossing_count_record(
            actor=request.user,
            data=_count_input(request.user, form.validated_data),
            reason=form.validated_data["reason"],
        )
        code = status.HTTP_201_CREATED if result.outcome == services.CREATED else status.HTTP_200_OK
        return Response(self.get_serializer(result.count).data, status=code)

    def _correct(self, request: ApiRequest, pk: str, *, partial: bool) -> Response:
        count = selectors.crossing_count_get(actor=request.user, pk=pk)
        form = CrossingCountInputSerializer(
            data=request.data, context={"request": request}, partial=partial
        )
        form.is_valid(raise_exception=True)
        given = {k: v for k, v in form.validated_data.items() if k in request.data}
        values = {**_current(count), **given} if partial else dict(form.validated_data)
        if partial and any(name in given for name in CELL_FIELDS) and "persons" not in given:
            values["persons"] = None  # new cells: the total follows them
        result = services.crossing_count_correct(
            actor=request.user,
            count=count,
            data=_count_input(request.user, values),
            reason=form.validated_data.get("reason", ""),
        )
        return Response(self.get_serializer(result.count).data)

    @extend_schema(request=CrossingCountInputSerializer, responses=CrossingCountSerializer)
    def update(self, request: ApiRequest, pk: str) -> Response:
        return self._correct(request, pk, partial=False)

    @extend_schema(request=CrossingCountInputSerializer, responses=CrossingCountSerializer)
    def partial_update(self, request: ApiRequest, pk: str) -> Response:
        return self._correct(request, pk, partial=True)


class CrossingPointPropertiesSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    name = serializers.CharField()
    status = serializers.CharField()
    outbound = serializers.IntegerField(help_text="Persons counted leaving the catchment.")
    inbound = serializers.IntegerField(help_text="Persons counted entering the catchment.")
    total = serializers.IntegerField()
    outbound_label = serializers.CharField()
    inbound_label = serializers.CharField()
    days = serializers.IntegerField()
    last_count = serializers.DateField(allow_null=True)


class CrossingPointFeatureSerializer(serializers.Serializer[Any]):
    type = serializers.CharField()
    id = serializers.CharField()
    geometry = serializers.JSONField()
    properties = CrossingPointPropertiesSerializer()


class CrossingPointCollectionSerializer(serializers.Serializer[Any]):
    type = serializers.CharField()
    features = CrossingPointFeatureSerializer(many=True)


class DailyFlowSerializer(serializers.Serializer[Any]):
    day = serializers.DateField()
    outbound = serializers.IntegerField()
    outbound_cumulative = serializers.IntegerField()
    inbound = serializers.IntegerField()
    inbound_cumulative = serializers.IntegerField()


class CrossingPointDetailSerializer(CrossingPointFeatureSerializer):
    catchment = serializers.ListField(child=serializers.CharField())
    daily = DailyFlowSerializer(many=True)


def _span(request: ApiRequest) -> tuple[int, Any]:
    query = query_params(request, SpanQuery)
    return query["days"], query["end"] or timezone.localdate()


class CrossingPointApi(viewsets.GenericViewSet[Any]):
    """Crossing points with the persons counted per direction over ``?days=`` to ``?end=``."""

    lookup_field = "code"
    lookup_value_regex = "[^/]+"
    pagination_class = None
    serializer_class = CrossingPointCollectionSerializer

    def get_queryset(self) -> Any:
        return selectors.crossing_points(actor=self.request.user)

    @extend_schema(parameters=[SpanQuery], responses=CrossingPointCollectionSerializer)
    def list(self, request: ApiRequest) -> Response:
        days, end = _span(request)
        rows = selectors.crossing_point_rows(actor=request.user, days=days, end=end)
        return Response(selectors.crossing_points_geojson(rows, get_language()))

    @extend_schema(parameters=[SpanQuery], responses=CrossingPointDetailSerializer)
    def retrieve(self, request: ApiRequest, code: str) -> Response:
        point = selectors.crossing_point_get(actor=request.user, code=code)
        days, end = _span(request)
        rows = selectors.crossing_point_rows(actor=request.user, days=days, end=end)
        row = next(r for r in rows if r.point == point)
        feature = selectors.crossing_points_geojson([row], get_language())["features"][0]
        series = selectors.flow_series([point], days=days, end=end)[0]
        daily = [
            {
                "day": r["day"],
                "outbound": r["cells"][0][0],
                "outbound_cumulative": r["cells"][0][1],
                "inbound": r["cells"][1][0],
                "inbound_cumulative": r["cells"][1][1],
            }
            for r in series.table()
        ]
        return Response({**feature, "catchment": row.catchment_codes, "daily": daily})


class PopulationSerializer(serializers.Serializer[Any]):
    place = serializers.CharField(source="place.code")
    name = serializers.CharField(source="place.name")
    area = serializers.CharField(source="place.admin1.code", default=None)
    baseline = serializers.IntegerField(source="estimate.baseline")
    baseline_as_of = serializers.DateField(source="estimate.baseline_as_of", allow_null=True)
    baseline_source = serializers.CharField(source="estimate.baseline_source")
    estimate = serializers.IntegerField(source="estimate.value")
    estimate_low = serializers.IntegerField(source="estimate.low")
    estimate_high = serializers.IntegerField(source="estimate.high")
    net_flow = serializers.IntegerField(source="estimate.net_flow")
    crossing_points = serializers.SerializerMethodField()
    on = serializers.DateField()

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_crossing_points(self, obj: Any) -> list[str]:
        return list(obj["estimate"].crossing_points)


class PopulationApi(viewsets.GenericViewSet[Any]):
    """Places with a population baseline and their estimated current population."""

    serializer_class = PopulationSerializer
    filterset_class = PopulationFilterSet

    def get_queryset(self) -> Any:
        return selectors.population_place_list(actor=self.request.user)

    def list(self, request: ApiRequest) -> Response:
        places = self.paginate_queryset(self.filter_queryset(self.get_queryset())) or []
        on = timezone.localdate()
        estimates = selectors.population_current([p.pk for p in places], on=on)
        rows = [
            {"place": p, "estimate": estimates[p.pk], "on": on} for p in places if p.pk in estimates
        ]
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)


router = SimpleRouter()
router.register("crossing-counts", CrossingCountApi, basename="crossing-count")
router.register("crossing-points", CrossingPointApi, basename="crossing-point")
router.register("populations", PopulationApi, basename="population")

API_URLPATTERNS: list[URLPattern | URLResolver] = [path("", include(router.urls))]
