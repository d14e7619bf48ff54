"""The logistics API: vehicles, convoys and their steps, consignments, passages.

Convoys are named by their code. Each workflow step is a POST on
``/convoys/{code}/{step}/`` through the one entry of the convoy services; reads are
scoped like the pages: a requesting organisation sees the convoys that carry its
requests and only its own consignment lines, never drivers.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.urls import URLPattern, URLResolver, include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request as ApiRequest
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from reliefops.core.api import CodeLookupField
from reliefops.core.errors import Forbidden, InvalidInput
from reliefops.logistics import services
from reliefops.logistics.choices import LossReason, PassageDirection, PassageOutcome
from reliefops.logistics.filtersets import (
    ConsignmentFilterSet,
    ConvoyFilterSet,
    PassageFilterSet,
    VehicleFilterSet,
)
from reliefops.logistics.models import ConsignmentLine, Convoy, Passage, Vehicle
from reliefops.logistics.selectors import (
    consignment_line_list,
    convoy_full_view,
    convoy_get,
    convoy_list_detailed,
    convoy_reconcile,
    convoy_route,
    convoys_seen_whole,
    last_passage,
    lookup_crossing_point,
    lookup_organisation,
    lookup_vehicle,
    lookup_warehouse,
    passage_list,
    requests_carriable,
    vehicle_list,
)


class VehicleSerializer(serializers.ModelSerializer[Vehicle]):
    organisation = serializers.CharField(source="organisation.acronym", read_only=True)
    base = serializers.CharField(source="base.code", read_only=True, default=None)

    class Meta:
        model = Vehicle
        fields = [
            "registration",
            "kind",
            "organisation",
            "base",
            "capacity_kg",
            "capacity_m3",
            "capacity_litres",
            "item_classes",
            "status",
        ]
        read_only_fields = fields


class PassageSerializer(serializers.ModelSerializer[Passage]):
    convoy = serializers.CharField(source="convoy.code", read_only=True)
    tracking_number = serializers.CharField(
        source="carrier.tracking_number", read_only=True, default=None
    )
    crossing_point = serializers.CharField(source="crossing_point.code", read_only=True)

    class Meta:
        model = Passage
        fields = [
            "convoy",
            "tracking_number",
            "crossing_point",
            "direction",
            "time_in",
            "time_out",
            "outcome",
            "delay_minutes",
            "inspected",
            "notes",
        ]
        read_only_fields = fields


class ConsignmentLineSerializer(serializers.ModelSerializer[ConsignmentLine]):
    convoy = serializers.CharField(source="carrier.convoy.code", read_only=True)
    convoy_status = serializers.CharField(source="carrier.convoy.status", read_only=True)
    tracking_number = serializers.CharField(source="carrier.tracking_number", read_only=True)
    stop = serializers.IntegerField(source="stop.sequence", read_only=True)
    place = serializers.CharField(source="stop.place.code", read_only=True)
    request = serializers.CharField(
        source="request_line.request.reference", read_only=True, default=None
    )
    request_line = serializers.UUIDField(source="request_line_id", read_only=True)
    item = serializers.CharField(source="item.code", read_only=True)
    lot = serializers.CharField(source="lot.code", read_only=True, default=None)
    expiry_date = serializers.DateField(source="lot.expiry_date", read_only=True, default=None)
    on_board = serializers.DecimalField(max_digits=16, decimal_places=3, read_only=True)

    class Meta:
        model = ConsignmentLine
        fields = [
            "id",
            "convoy",
            "convoy_status",
            "tracking_number",
            "stop",
            "place",
            "request",
            "request_line",
            "item",
            "lot",
            "expiry_date",
            "quantity",
            "delivered",
            "short",
            "short_reason",
            "damaged",
            "damage_reason",
            "returned",
            "on_board",
        ]
        read_only_fields = fields


class ConvoySerializer(serializers.ModelSerializer[Convoy]):
    origin = serializers.CharField(source="origin.code", read_only=True)
    organisation = serializers.CharField(source="organisation.acronym", read_only=True)
    stops = serializers.SerializerMethodField()
    vehicles = serializers.SerializerMethodField()
    route = serializers.SerializerMethodField()
    last_passage = serializers.SerializerMethodField()

    class Meta:
        model = Convoy
        fields = [
            "code",
            "departure_date",
            "origin",
            "organisation",
            "status",
            "status_reason",
            "escort",
            "leader",
            "notes",
            "stops",
            "vehicles",
            "route",
            "last_passage",
        ]
        read_only_fields = fields

    _seen_whole: set[Any] | None = None

    @extend_schema_field({"type": "array", "items": {"type": "object"}})
    def get_stops(self, obj: Convoy) -> list[dict[str, Any]]:
        return [
            {
                "sequence": s.sequence,
                "place": s.place.code,
                "facility": s.facility.code if s.facility else None,
                "arrived_at": s.arrived_at.isoformat() if s.arrived_at else None,
                "delivered": hasattr(s, "delivery"),
            }
            for s in obj.stops.all()
        ]

    @extend_schema_field({"type": "array", "items": {"type": "object"}})
    def get_vehicles(self, obj: Convoy) -> list[dict[str, Any]]:
        if self._seen_whole is None:  # once per response (a list shares this child)
            user = getattr(self.context.get("request"), "user", None)
            page = getattr(self.parent, "instance", None) or [obj]
            seen = convoys_seen_whole(user).filter(pk__in=[c.pk for c in page])
            self._seen_whole = set(seen.values_list("pk", flat=True))
        full = obj.pk in self._seen_whole
        return [
            {
                "tracking_number": c.tracking_number,
                "registration": c.vehicle.registration if full else None,
                "kind": c.vehicle.kind,
                "carriage": c.carriage,
            }
            for c in obj.vehicles.all()
        ]

    @extend_schema_field({"type": "object"})
    def get_route(self, obj: Convoy) -> dict[str, Any]:
        route = convoy_route(obj)
        return {
            "roads": route.road_names,
            "length_km": route.length_km,
            "segments": [s.code for s in route.segments],
            "crossing_points": [
                {
                    "code": c.facility.code,
                    "open": c.is_open,
                    "notice_hours": c.notice_hours,
                    "notify_by": c.notify_by.isoformat() if c.notify_by else None,
                }
                for c in route.crossing_points
            ],
            "warnings": [str(w) for w in route.warnings],
        }

    @extend_schema_field({"type": "object", "nullable": True})
    def get_last_passage(self, obj: Convoy) -> dict[str, Any] | None:
        passage = last_passage(obj)
        if passage is None:
            return None
        return {
            "crossing_point": passage.crossing_point.code,
            "outcome": passage.outcome,
            "time_in": passage.time_in.isoformat(),
            "time_out": passage.time_out.isoformat() if passage.time_out else None,
        }


class ConvoyPlanSerializer(serializers.Serializer[Any]):
    """A convoy planned from approved requests (stops, cargo and vehicles filled in)."""

    origin = CodeLookupField(
        lookup=lambda _user, code: lookup_warehouse(code),
        code_name="facility.code",
        error_messages={"does_not_exist": _("No warehouse with this facility code.")},
    )
    organisation = CodeLookupField(
        lookup=lambda _user, code: lookup_organisation(code), code_name="acronym"
    )
    departure_date = serializers.DateField()
    vehicles = serializers.ListField(
        child=CodeLookupField(
            lookup=lambda _user, code: lookup_vehicle(code), code_name="registration"
        ),
        min_length=1,
        max_length=50,
    )
    requests = serializers.ListField(
        child=serializers.CharField(max_length=40), min_length=1, max_length=200
    )
    escort = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    leader = serializers.CharField(required=False, allow_blank=True, default="", max_length=120)
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class ConvoyStepSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class HeldSerializer(serializers.Serializer[Any]):
    line = serializers.UUIDField()
    quantity = serializers.DecimalField(max_digits=16, decimal_places=3, min_value=0)


class PassageInputSerializer(serializers.Serializer[Any]):
    crossing_point = CodeLookupField(lookup=lambda _user, code: lookup_crossing_point(code))
    outcome = serializers.ChoiceField(choices=PassageOutcome.choices)
    direction = serializers.ChoiceField(
        choices=PassageDirection.choices, default=PassageDirection.INBOUND
    )
    time_in = serializers.DateTimeField()
    time_out = serializers.DateTimeField(required=False, allow_null=True, default=None)
    tracking_number = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=48
    )
    delay_minutes = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=0, max_value=100_000
    )
    inspected = serializers.BooleanField(default=False)
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    held = HeldSerializer(many=True, required=False, default=list)


class ReceiptSerializer(serializers.Serializer[Any]):
    line = serializers.UUIDField()
    delivered = serializers.DecimalField(max_digits=16, decimal_places=3, min_value=0)
    short = serializers.DecimalField(
        max_digits=16, decimal_places=3, min_value=0, default=Decimal("0")
    )
    short_reason = serializers.ChoiceField(choices=LossReason.choices, default="")
    damaged = serializers.DecimalField(
        max_digits=16, decimal_places=3, min_value=0, default=Decimal("0")
    )
    damage_reason = serializers.ChoiceField(choices=LossReason.choices, default="")


class DeliveryInputSerializer(serializers.Serializer[Any]):
    stop = serializers.IntegerField(min_value=1, max_value=1000)
    receiver_name = serializers.CharField(max_length=120)
    receiver_role = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=120
    )
    received_at = serializers.DateTimeField()
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    lines = ReceiptSerializer(many=True, required=False, default=list)


class ReconcileRowSerializer(serializers.Serializer[Any]):
    item = serializers.CharField(source="item.code")
    loaded = serializers.DecimalField(max_digits=16, decimal_places=3)
    dispatched = serializers.DecimalField(max_digits=16, decimal_places=3)
    delivered = serializers.DecimalField(max_digits=16, decimal_places=3)
    short = serializers.DecimalField(max_digits=16, decimal_places=3)
    damaged = serializers.DecimalField(max_digits=16, decimal_places=3)
    returned = serializers.DecimalField(max_digits=16, decimal_places=3)
    on_board = serializers.DecimalField(max_digits=16, decimal_places=3)
    difference = serializers.DecimalField(max_digits=16, decimal_places=3)
    balanced = serializers.BooleanField()


class VehicleApi(viewsets.ReadOnlyModelViewSet[Vehicle]):
    """The fleet: vehicles with their capacities and status (no driver data)."""

    serializer_class = VehicleSerializer
    filterset_class = VehicleFilterSet
    lookup_field = "registration"
    lookup_value_regex = "[^/]+"

    def get_queryset(self) -> Any:
        return vehicle_list(actor=self.request.user)


class PassageApi(viewsets.ReadOnlyModelViewSet[Passage]):
    """Crossing-point passages of the convoys the caller sees."""

    serializer_class = PassageSerializer
    filterset_class = PassageFilterSet

    def get_queryset(self) -> Any:
        return passage_list(actor=self.request.user).order_by("-time_in")


class ConsignmentApi(viewsets.ReadOnlyModelViewSet[ConsignmentLine]):
    """Consignment lines the caller may see; ``?request=<reference>`` tracks one request's
    goods, ``?convoy=<code>`` one convoy's (the consignments export's filters)."""

    serializer_class = ConsignmentLineSerializer
    filterset_class = ConsignmentFilterSet

    def get_queryset(self) -> Any:
        return consignment_line_list(actor=self.request.user)


class ConvoyApi(viewsets.GenericViewSet[Convoy]):
    """Convoys, scoped like the convoy pages; each step is a POST on ``/{code}/{step}/``."""

    serializer_class = ConvoySerializer
    filterset_class = ConvoyFilterSet
    lookup_field = "code"
    lookup_value_regex = "[^/]+"

    def get_queryset(self) -> Any:
        return convoy_list_detailed(actor=self.request.user)

    def list(self, request: ApiRequest) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: ApiRequest, code: str) -> Response:
        return Response(self.get_serializer(convoy_get(actor=request.user, code=code)).data)

    @extend_schema(request=ConvoyPlanSerializer, responses={201: ConvoySerializer})
    def create(self, request: ApiRequest) -> Response:
        plan = ConvoyPlanSerializer(data=request.data, context={"request": request})
        plan.is_valid(raise_exception=True)
        data = plan.validated_data
        refs = list(dict.fromkeys(data["requests"]))
        found = {
            r.reference: r
            for r in requests_carriable(actor=request.user).filter(reference__in=refs)
        }
        missing = [ref for ref in refs if ref not in found]
        if missing:
            raise InvalidInput(
                _("These requests are not approved requests you may see: %(refs)s.")
                % {"refs": ", ".join(missing[:20])},
                field="requests",
            )
        convoy = services.convoy_from_requests(
            actor=request.user,
            requests=[found[ref] for ref in refs],
            origin=data["origin"],
            organisation=data["organisation"],
            departure_date=data["departure_date"],
            carriers=[services.CarrierInput(v) for v in dict.fromkeys(data["vehicles"])],
            escort=data["escort"],
            leader=data["leader"],
            notes=data["notes"],
        )
        return Response(
            self.get_serializer(convoy_get(actor=request.user, code=convoy.code)).data,
            status=status.HTTP_201_CREATED,
        )

    def _step(self, request: ApiRequest, code: str, step: str, data: Any = None) -> Response:
        convoy = convoy_get(actor=request.user, code=code)
        if data is None:
            form = ConvoyStepSerializer(data=request.data)
            form.is_valid(raise_exception=True)
            data = services.StepData(reason=form.validated_data["reason"])
        services.convoy_transition(actor=request.user, convoy=convoy, step=step, data=data)
        return Response(self.get_serializer(convoy_get(actor=request.user, code=code)).data)

    @extend_schema(request=ConvoyStepSerializer, responses=ConvoySerializer)
    @action(detail=True, methods=["post"])
    def load(self, request: ApiRequest, code: str) -> Response:
        return self._step(request, code, "load")

    @extend_schema(request=ConvoyStepSerializer, responses=ConvoySerializer)
    @action(detail=True, methods=["post"])
    def depart(self, request: ApiRequest, code: str) -> Response:
        return self._step(request, code, "depart")

    @extend_schema(request=PassageInputSerializer, responses=ConvoySerializer)
    @action(detail=True, methods=["post"])
    def passage(self, request: ApiRequest, code: str) -> Response:
        convoy = convoy_get(actor=request.user, code=code)
        form = PassageInputSerializer(data=request.data, context={"request": request})
        form.is_valid(raise_exception=True)
        v = form.validated_data
        carrier = None
        if v["tracking_number"]:
            carrier = convoy.vehicles.filter(tracking_number=v["tracking_number"]).first()
            if carrier is None:
                raise InvalidInput(
                    _("No vehicle of the convoy has this tracking number."), field="tracking_number"
                )
        data = services.PassageInput(
            crossing_point=v["crossing_point"],
            outcome=v["outcome"],
            direction=v["direction"],
            time_in=v["time_in"],
            time_out=v["time_out"],
            carrier=carrier,
            delay_minutes=v["delay_minutes"],
            inspected=v["inspected"],
            notes=v["notes"],
            held={h["line"]: h["quantity"] for h in v["held"]},
        )
        return self._step(request, code, "passage", services.StepData(passage=data))

    @extend_schema(request=ConvoyStepSerializer, responses=ConvoySerializer)
    @action(detail=True, methods=["post"])
    def arrive(self, request: ApiRequest, code: str) -> Response:
        return self._step(request, code, "arrive")

    @extend_schema(request=DeliveryInputSerializer, responses=ConvoySerializer)
    @action(detail=True, methods=["post"])
    def deliver(self, request: ApiRequest, code: str) -> Response:
        convoy = convoy_get(actor=request.user, code=code)
        form = DeliveryInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        v = form.validated_data
        stop = convoy.stops.filter(sequence=v["stop"]).first()
        if stop is None:
            raise InvalidInput(_("The convoy has no such stop."), field="stop")
        data = services.DeliveryInput(
            stop=stop,
            receiver_name=v["receiver_name"],
            receiver_role=v["receiver_role"],
            received_at=v["received_at"],
            note=v["note"],
            receipts={
                r["line"]: services.Receipt(
                    r["delivered"], r["short"], r["short_reason"], r["damaged"], r["damage_reason"]
                )
                for r in v["lines"]
            },
        )
        return self._step(request, code, "deliver", services.StepData(delivery=data))

    @extend_schema(request=ConvoyStepSerializer, responses=ConvoySerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request: ApiRequest, code: str) -> Response:
        return self._step(request, code, "complete")

    @extend_schema(request=ConvoyStepSerializer, responses=ConvoySerializer)
    @action(detail=True, methods=["post"])
    def abort(self, request: ApiRequest, code: str) -> Response:
        return self._step(request, code, "abort")

    @extend_schema(responses=ReconcileRowSerializer(many=True))
    @action(detail=True, methods=["get"])
    def reconcile(self, request: ApiRequest, code: str) -> Response:
        convoy = convoy_get(actor=request.user, code=code)
        if not convoy_full_view(request.user, convoy):
            raise Forbidden(_("Only the convoy’s own staff see its reconciliation."))
        return Response(ReconcileRowSerializer(convoy_reconcile(convoy), many=True).data)


router = SimpleRouter()
router.register("vehicles", VehicleApi, basename="vehicle")
router.register("convoys", ConvoyApi, basename="convoy")
router.register("consignments", ConsignmentApi, basename="consignment")
router.register("passages", PassageApi, basename="passage")

#: The API's URL patterns (``reliefops.logistics.urls`` mounts them under /api/v1/).
API_URLPATTERNS: list[URLPattern | URLResolver] = [path("", include(router.urls))]
