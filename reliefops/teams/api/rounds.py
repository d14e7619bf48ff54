"""The rounds API: rounds with their stops (people by reference), the round's steps, the
visits (a phone submits a visit with its ``client_id``: a retry lands once) and the due
list."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request as ApiRequest
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView

from reliefops.core.errors import InvalidInput
from reliefops.teams import services
from reliefops.teams.choices import VisitOutcome, VisitService
from reliefops.teams.filtersets import RoundFilterSet, VisitFilterSet
from reliefops.teams.models import Round, Visit
from reliefops.teams.selectors import (
    people_due,
    person_for_visit,
    round_get,
    round_list,
    stop_get,
    team_for_round_work,
    visit_get,
    visit_list,
)
from reliefops.teams.selectors.rounds import readable_person_ids


class RoundSerializer(serializers.ModelSerializer[Round]):
    team = serializers.CharField(source="team.code", read_only=True)
    area = serializers.CharField(source="area.code", read_only=True)
    stops = serializers.SerializerMethodField()

    class Meta:
        model = Round
        fields = [
            "reference",
            "team",
            "date",
            "status",
            "area",
            "started_at",
            "completed_at",
            "stops",
        ]
        read_only_fields = fields

    @extend_schema_field({"type": "array", "items": {"type": "object"}})
    def get_stops(self, obj: Round) -> list[dict[str, Any]]:
        readable = self.context.get("readable")
        return [
            {
                "sequence": s.sequence,
                "place": s.place.code,
                "person": s.person.reference if s.person is not None else None,
                "planned_time": s.planned_time.isoformat() if s.planned_time else None,
                "services": list(s.services),
            }
            for s in obj.stops.all()
            if readable is None or s.person_id is None or s.person_id in readable
        ]


class RoundStepSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class VisitSerializer(serializers.ModelSerializer[Visit]):
    person = serializers.CharField(source="person.reference", read_only=True)
    team = serializers.CharField(source="team.code", read_only=True)
    place = serializers.CharField(source="place.code", read_only=True)
    round = serializers.CharField(source="stop.round.reference", read_only=True, default=None)
    sequence = serializers.IntegerField(source="stop.sequence", read_only=True, default=None)

    class Meta:
        model = Visit
        fields = [
            "id",
            "person",
            "team",
            "round",
            "sequence",
            "place",
            "visited_at",
            "outcome",
            "services",
            "follow_up_due",
            "client_id",
        ]
        read_only_fields = fields


class VisitInputSerializer(serializers.Serializer[Any]):
    person = serializers.CharField(max_length=16)
    team = serializers.CharField(max_length=20)
    round = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    sequence = serializers.IntegerField(
        min_value=1, max_value=32767, required=False, allow_null=True, default=None
    )
    visited_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    outcome = serializers.ChoiceField(choices=VisitOutcome.choices, default=VisitOutcome.VISITED)
    services = serializers.ListField(
        child=serializers.ChoiceField(choices=VisitService.choices), required=False, default=list
    )
    follow_up_due = serializers.DateField(required=False, allow_null=True, default=None)
    client_id = serializers.UUIDField(required=False, allow_null=True, default=None)


class RoundApi(viewsets.GenericViewSet[Round]):
    """Rounds the caller may see (``person.read`` in the round's area); each workflow step
    is a POST on ``/rounds/{reference}/{step}/``."""

    serializer_class = RoundSerializer
    filterset_class = RoundFilterSet
    lookup_field = "reference"
    lookup_value_regex = "[^/]+"

    def get_queryset(self) -> Any:
        return round_list(actor=self.request.user)

    def get_serializer_context(self) -> dict[str, Any]:
        return {
            **super().get_serializer_context(),
            "readable": readable_person_ids(self.request.user),
        }

    def list(self, request: ApiRequest) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: ApiRequest, reference: str) -> Response:
        return Response(
            self.get_serializer(round_get(actor=request.user, reference=reference)).data
        )

    def _step(self, request: ApiRequest, reference: str, step: str) -> Response:
        rnd = round_get(actor=request.user, reference=reference)
        form = RoundStepSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        services.round_transition(
            actor=request.user, round=rnd, step=step, reason=form.validated_data["reason"]
        )
        return Response(
            self.get_serializer(round_get(actor=request.user, reference=reference)).data
        )

    @extend_schema(request=RoundStepSerializer, responses=RoundSerializer)
    @action(detail=True, methods=["post"])
    def plan(self, request: ApiRequest, reference: str) -> Response:
        return self._step(request, reference, "plan")

    @extend_schema(request=RoundStepSerializer, responses=RoundSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request: ApiRequest, reference: str) -> Response:
        return self._step(request, reference, "start")

    @extend_schema(request=RoundStepSerializer, responses=RoundSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request: ApiRequest, reference: str) -> Response:
        return self._step(request, reference, "complete")

    @extend_schema(request=RoundStepSerializer, responses=RoundSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: ApiRequest, reference: str) -> Response:
        return self._step(request, reference, "cancel")


class VisitApi(viewsets.GenericViewSet[Visit]):
    """Visits the caller may see (``person.read`` in the person's area); POST records one
    (idempotent by ``client_id``: a retried submission returns the first visit)."""

    serializer_class = VisitSerializer
    filterset_class = VisitFilterSet

    def get_queryset(self) -> Any:
        return visit_list(actor=self.request.user)

    def list(self, request: ApiRequest) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: ApiRequest, pk: str) -> Response:
        return Response(self.get_serializer(visit_get(actor=request.user, pk=pk)).data)

    @extend_schema(request=VisitInputSerializer, responses={201: VisitSerializer})
    def create(self, request: ApiRequest) -> Response:
        form = VisitInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        v = form.validated_data
        person = person_for_visit(actor=request.user, reference=v["person"])
        team = team_for_round_work(actor=request.user, code=v["team"])
        stop = None
        if v["round"]:
            if v["sequence"] is None:
                raise InvalidInput(_("Name the stop of the round."), field="sequence")
            rnd = round_get(actor=request.user, reference=v["round"])
            stop = stop_get(actor=request.user, round=rnd, sequence=v["sequence"])
        visit = services.visit_record(
            actor=request.user,
            person=person,
            team=team,
            stop=stop,
            visited_at=v["visited_at"] or timezone.now(),
            outcome=v["outcome"],
            services=v["services"],
            follow_up_due=v["follow_up_due"],
            client_id=v["client_id"],
        )
        return Response(self.get_serializer(visit).data, status=status.HTTP_201_CREATED)


class DueRowSerializer(serializers.Serializer[Any]):
    person = serializers.CharField(source="person.reference")
    place = serializers.CharField(source="person.place.code")
    age_band = serializers.CharField(source="person.age_band")
    rules = serializers.ListField(child=serializers.CharField(), source="rule_codes")
    interval_days = serializers.IntegerField()
    last_visit = serializers.DateTimeField(allow_null=True)
    due_date = serializers.DateField()
    days_overdue = serializers.IntegerField()


class DueApi(APIView):
    """The due list of today: people the caller may read who are due for a visit."""

    @extend_schema(
        parameters=[
            OpenApiParameter("team", str, description="A team's code: the people of its areas."),
            OpenApiParameter("overdue", bool, description="Only those past their due date."),
        ],
        responses=DueRowSerializer(many=True),
    )
    def get(self, request: ApiRequest) -> Response:
        code = str(request.query_params.get("team", "") or "")[:20]
        team = team_for_round_work(actor=request.user, code=code) if code else None
        overdue = str(request.query_params.get("overdue", "")).lower() in ("1", "true")
        rows = people_due(request.user, on=timezone.localdate(), team=team, overdue_only=overdue)
        return Response(DueRowSerializer(rows, many=True).data)


router = SimpleRouter()
router.register("rounds", RoundApi, basename="round")
router.register("visits", VisitApi, basename="visit")
