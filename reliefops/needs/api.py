"""API of the needs domain: requests and their workflow steps, gap analysis, heating fuel."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request as ApiRequest
from rest_framework.response import Response
from rest_framework.views import APIView

from reliefops.core.api import CodeLookupField
from reliefops.core.queries import query_params
from reliefops.needs import services
from reliefops.needs.choices import Priority, RequesterKind, RequestSource, ServiceType
from reliefops.needs.fields import REQUEST, REQUEST_LINE, REQUEST_LINE_PROGRESS
from reliefops.needs.filtersets import DaysQuery, GapQuery, RequestFilterSet, SeasonQuery
from reliefops.needs.models import Request, RequestLine
from reliefops.needs.selectors import (
    facility_heating_assessment,
    gap_analysis,
    gap_geojson,
    lookup_facility,
    lookup_item,
    lookup_organisation,
    lookup_place,
    lookup_warehouse,
    request_get,
    request_is_overdue,
    request_list,
    sphere_for_place,
)


class RequestLineSerializer(serializers.ModelSerializer[RequestLine]):
    item = CodeLookupField(
        lookup=lambda _user, code: lookup_item(code),
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": _("No item with this code.")},
    )
    service_type = serializers.ChoiceField(
        choices=ServiceType.choices, required=False, allow_blank=True
    )

    class Meta:
        model = RequestLine
        fields = ["id", *REQUEST_LINE.api_names()]
        read_only_fields = ["id", *REQUEST_LINE_PROGRESS]
        extra_kwargs = {"unit": {"required": False}}


class RequestSerializer(serializers.ModelSerializer[Request]):
    facility = CodeLookupField(
        lookup=lambda _user, code: lookup_facility(code),
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": _("No facility with this code.")},
    )
    place = CodeLookupField(
        lookup=lambda _user, code: lookup_place(code),
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": _("No place matches this name.")},
    )
    organisation = CodeLookupField(
        lookup=lambda _user, code: lookup_organisation(code),
        code_name="acronym",
        error_messages={"does_not_exist": _("No organisation with this acronym.")},
    )
    area = CodeLookupField(read_only=True)
    requester_kind = serializers.ChoiceField(choices=RequesterKind.choices)
    priority = serializers.ChoiceField(choices=Priority.choices, required=False)
    source = serializers.ChoiceField(  # type: ignore[assignment]
        choices=RequestSource.choices, required=False
    )
    lines = RequestLineSerializer(many=True)
    overdue = serializers.SerializerMethodField(
        help_text=_("Needed by a day that has passed, and not delivered, closed or stopped.")
    )
    confirm_duplicate = serializers.BooleanField(write_only=True, required=False, default=False)
    confirm_fuel = serializers.BooleanField(
        write_only=True,
        required=False,
        default=False,
        help_text=_("Submit although the facility's record says it heats with another fuel."),
    )

    class Meta:
        model = Request
        fields = [
            "id",
            *REQUEST.api_names(),
            "lines",
            "overdue",
            "created_at",
            "confirm_duplicate",
            "confirm_fuel",
        ]
        read_only_fields = ["id", "reference", "area", "status", "status_reason", "created_at"]

    def get_overdue(self, obj: Request) -> bool:
        return request_is_overdue(obj)


class StepSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    warehouse = CodeLookupField(
        lookup=lambda _user, code: lookup_warehouse(code),
        code_name="facility.code",
        required=False,
        error_messages={"does_not_exist": _("No warehouse with this facility code.")},
    )


class RequestApi(viewsets.GenericViewSet[Request]):
    """Requests, scoped to the caller's areas. Each workflow step is a POST on
    ``/requests/{id}/{step}/`` with its own permission (see ``needs.services``)."""

    serializer_class = RequestSerializer
    filterset_class = RequestFilterSet
    search_fields = ["reference"]

    def get_queryset(self) -> Any:
        return request_list(actor=self.request.user)

    def list(self, request: ApiRequest) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: ApiRequest, pk: str) -> Response:
        return Response(self.get_serializer(request_get(actor=request.user, pk=pk)).data)

    def create(self, request: ApiRequest) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        lines = [
            services.LineInput(
                quantity=line["quantity"],
                item=line.get("item"),
                service_type=line.get("service_type", ""),
                unit=line.get("unit", ""),
            )
            for line in data.pop("lines")
        ]
        confirm = data.pop("confirm_duplicate", False)
        confirm_fuel = data.pop("confirm_fuel", False)
        created = services.request_submit(
            actor=request.user,
            data=services.RequestInput(lines=lines, **data),
            confirm_duplicate=confirm,
            confirm_fuel=confirm_fuel,
        )
        return Response(
            self.get_serializer(request_get(actor=request.user, pk=created.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    def _step(self, request: ApiRequest, pk: str, name: str) -> Response:
        target = request_get(actor=request.user, pk=pk)
        step = StepSerializer(data=request.data)
        step.is_valid(raise_exception=True)
        services.request_transition(
            actor=request.user,
            request=target,
            step=name,
            reason=step.validated_data["reason"],
            warehouse=step.validated_data.get("warehouse"),
        )
        return Response(self.get_serializer(request_get(actor=request.user, pk=pk)).data)

    @extend_schema(request=StepSerializer, responses=RequestSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: ApiRequest, pk: str) -> Response:
        return self._step(request, pk, "submit")

    @extend_schema(request=StepSerializer, responses=RequestSerializer)
    @action(detail=True, methods=["post"])
    def verify(self, request: ApiRequest, pk: str) -> Response:
        return self._step(request, pk, "verify")

    @extend_schema(request=StepSerializer, responses=RequestSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: ApiRequest, pk: str) -> Response:
        return self._step(request, pk, "approve")

    @extend_schema(request=StepSerializer, responses=RequestSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request: ApiRequest, pk: str) -> Response:
        return self._step(request, pk, "reject")

    @extend_schema(request=StepSerializer, responses=RequestSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: ApiRequest, pk: str) -> Response:
        return self._step(request, pk, "cancel")

    @extend_schema(request=StepSerializer, responses=RequestSerializer)
    @action(detail=True, methods=["post"])
    def plan(self, request: ApiRequest, pk: str) -> Response:
        return self._step(request, pk, "plan")

    @extend_schema(request=StepSerializer, responses=RequestSerializer)
    @action(detail=True, methods=["post"], url_path="dispatch", url_name="dispatch")
    def dispatch_goods(self, request: ApiRequest, pk: str) -> Response:
        return self._step(request, pk, "dispatch")

    @extend_schema(request=StepSerializer, responses=RequestSerializer)
    @action(detail=True, methods=["post"])
    def deliver(self, request: ApiRequest, pk: str) -> Response:
        return self._step(request, pk, "deliver")

    @extend_schema(request=StepSerializer, responses=RequestSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: ApiRequest, pk: str) -> Response:
        return self._step(request, pk, "close")


class GapApi(APIView):
    """Gap analysis per admin-1 area × item (``?days=30``; ``?shape=geojson&item=DSL`` for
    the map of one item's coverage)."""

    @extend_schema(parameters=[GapQuery], responses={200: dict})
    def get(self, request: ApiRequest) -> Response:
        query = query_params(request, GapQuery)
        report = gap_analysis(actor=request.user, days=query["days"])
        if query["shape"] == "geojson":
            return Response(gap_geojson(actor=request.user, report=report, item=query.get("item")))
        return Response(
            {
                "days": report.days,
                "rows": [r.as_dict(report.days) for r in report.rows],
                "totals": [r.as_dict(report.days) for r in report.totals],
            }
        )


class HeatingFuelApi(APIView):
    """Heating-fuel estimate of one facility for a season (``?season=2023-10``)."""

    @extend_schema(parameters=[SeasonQuery], responses={200: dict})
    def get(self, request: ApiRequest, code: str) -> Response:
        season = query_params(request, SeasonQuery)["season"]
        assessment = facility_heating_assessment(actor=request.user, code=code, season_start=season)
        facility = assessment.facility
        estimate = assessment.estimate
        return Response(
            {
                "facility": facility.code,
                "method": estimate.method,
                "fuel": estimate.fuel,
                "unit": estimate.unit,
                "efficiency": estimate.efficiency,
                "total": round(estimate.total, 1),
                "stock": assessment.stock,
                "days_of_cover": None
                if assessment.days_of_cover is None
                else round(assessment.days_of_cover, 1),
                "climate_station": assessment.station_name,
                "months": [
                    {
                        "month": f"{m.year}-{m.month:02d}",
                        "degree_days": round(m.degree_days, 1),
                        "heat_kwh": round(m.heat_kwh, 1),
                        "fuel": round(m.fuel_quantity, 1),
                        "per_day": round(m.fuel_per_day, 2),
                    }
                    for m in estimate.months
                ],
            }
        )


class SphereApi(APIView):
    """Sphere minimum needs of a place's estimated current population for ``?days=30``."""

    @extend_schema(parameters=[DaysQuery], responses={200: dict})
    def get(self, request: ApiRequest, code: str) -> Response:
        days = query_params(request, DaysQuery)["days"]
        sphere = sphere_for_place(actor=request.user, code=code, days=days)
        return Response(
            {
                "place": sphere.place.code,
                "population": sphere.population,
                "days": sphere.days,
                "lines": [
                    {
                        "item": x.item_code,
                        "quantity": round(x.quantity, 1),
                        "unit": x.unit,
                        "basis": x.basis,
                    }
                    for x in sphere.lines
                ],
            }
        )
