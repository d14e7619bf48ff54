"""API of the day plans (thin: the same selectors and services as the pages).

``GET /plans/`` lists the runs (the list's FilterSet), ``POST /plans/`` starts one;
``GET /plans/{reference}/`` is a run with its progress, figures, plan, checker violations
and the unmet demands and unmade visits with their reasons; ``POST`` on
``/plans/{reference}/cancel|edit|commit|replan|discard/`` takes that step.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from reliefops.core.api import Pagination
from reliefops.dayplans.filtersets import PlanRunFilterSet
from reliefops.dayplans.forms import EDIT_KINDS
from reliefops.dayplans.models import PlanRun
from reliefops.dayplans.selectors import (
    plan_area_choices,
    plan_kpis,
    plan_review,
    plan_run_get,
    plan_runs,
)
from reliefops.dayplans.steps import STEP_SERVICES, service


class PlanRunSerializer(serializers.ModelSerializer[PlanRun]):
    """One run in the list: what, when, how far."""

    area: Any = serializers.SlugRelatedField(slug_field="code", read_only=True)
    based_on: Any = serializers.SlugRelatedField(slug_field="reference", read_only=True)
    percent = serializers.IntegerField(read_only=True)

    class Meta:
        model = PlanRun
        fields = [
            "reference",
            "date",
            "area",
            "status",
            "phase",
            "percent",
            "parts_total",
            "parts_done",
            "input_hash",
            "based_on",
            "created_at",
            "started_at",
            "finished_at",
            "committed_at",
        ]
        read_only_fields = fields


class PlanRunDetailSerializer(PlanRunSerializer):
    """One run: its progress, parameters, figures, the plan, checker violations, the unmet
    demands and unmade visits with their reasons, the edits and what a commit created."""

    kpis = serializers.SerializerMethodField()
    unmet = serializers.SerializerMethodField()
    unvisited = serializers.SerializerMethodField()

    class Meta(PlanRunSerializer.Meta):
        fields = [
            *PlanRunSerializer.Meta.fields,
            "parameters",
            "kpis",
            "timings",
            "plan",
            "violations",
            "unmet",
            "unvisited",
            "edits",
            "commitment",
            "error",
        ]
        read_only_fields = fields

    @extend_schema_field({"type": "object"})
    def get_kpis(self, run: PlanRun) -> dict[str, Any]:
        figures: dict[str, Any] = plan_kpis(run)["figures"]
        return figures

    def _review(self, run: PlanRun) -> dict[str, Any]:
        cached = getattr(run, "_review", None)
        if cached is None:
            cached = plan_review(run) if run.plan else {"unmet": [], "unvisited": []}
            run._review = cached  # type: ignore[attr-defined]
        return cached

    @extend_schema_field({"type": "array", "items": {"type": "object"}})
    def get_unmet(self, run: PlanRun) -> list[dict[str, Any]]:
        return [_plain(row) for row in self._review(run)["unmet"]]

    @extend_schema_field({"type": "array", "items": {"type": "object"}})
    def get_unvisited(self, run: PlanRun) -> list[dict[str, Any]]:
        return [_plain(row) for row in self._review(run)["unvisited"]]


def _plain(row: dict[str, Any]) -> dict[str, Any]:
    return {k: str(v) if k == "reason_label" else v for k, v in row.items()}


class PlanStartSerializer(serializers.Serializer[Any]):
    date = serializers.DateField()
    area = serializers.CharField(required=False, allow_null=True, max_length=32)
    seconds = serializers.IntegerField(min_value=1, max_value=600, default=30)
    seed = serializers.IntegerField(min_value=0, max_value=2**31 - 1, default=1)

    def validate_area(self, value: str | None) -> Any:
        if not value:
            return None
        request = self.context["request"]
        area = plan_area_choices(request.user).filter(code=value).first()
        if area is None:
            raise serializers.ValidationError("No area you may plan has this code.")
        return area


class PlanEditSerializer(serializers.Serializer[Any]):
    """One edit: ``kind`` and the stop, vehicle or team it names (the problem's ids; trips
    and positions count from 1; ``version``: the number of edits the caller saw)."""

    kind = serializers.ChoiceField(choices=list(EDIT_KINDS))
    vehicle = serializers.CharField(required=False, max_length=100)
    team = serializers.CharField(required=False, max_length=100)
    trip = serializers.IntegerField(required=False, min_value=1)
    position = serializers.IntegerField(required=False, min_value=1)
    to_vehicle = serializers.CharField(required=False, max_length=100)
    to_team = serializers.CharField(required=False, max_length=100)
    to_trip = serializers.IntegerField(required=False, min_value=1)
    to_position = serializers.IntegerField(required=False, min_value=1)
    version = serializers.IntegerField(required=False, min_value=0)


class PlanListApi(generics.ListAPIView[PlanRun]):
    """The plan runs the caller may see (the page's filters); POST starts a run."""

    serializer_class = PlanRunSerializer
    pagination_class = Pagination
    filterset_class = PlanRunFilterSet

    def get_queryset(self) -> Any:
        return plan_runs(self.request.user)

    @extend_schema(request=PlanStartSerializer, responses={201: PlanRunDetailSerializer})
    def post(self, request: Request) -> Response:
        form = PlanStartSerializer(data=request.data, context={"request": request})
        form.is_valid(raise_exception=True)
        data = form.validated_data
        run = service("runs", "plan_run_start")(
            actor=request.user,
            day=data["date"],
            area=data.get("area"),
            seconds=data["seconds"],
            seed=data["seed"],
        )
        fresh = plan_run_get(request.user, run.reference)
        return Response(PlanRunDetailSerializer(fresh).data, status=status.HTTP_201_CREATED)


class PlanDetailApi(generics.RetrieveAPIView[PlanRun]):
    """One run: status, progress, figures, plan, violations, unmet with reasons."""

    serializer_class = PlanRunDetailSerializer

    def get_object(self) -> PlanRun:
        return plan_run_get(self.request.user, self.kwargs["reference"])


class PlanStepApi(APIView):
    """A step on a run: cancel, discard, commit, re-plan (a new run: 201) or edit."""

    step = ""

    @extend_schema(request=None, responses={200: PlanRunDetailSerializer})
    def post(self, request: Request, reference: str) -> Response:
        run = plan_run_get(request.user, reference)
        if self.step == "edit":
            form = PlanEditSerializer(data=request.data)
            form.is_valid(raise_exception=True)
            service("edits", "plan_edit")(
                actor=request.user, run=run, edit=dict(form.validated_data)
            )
            result = run
        else:
            module, name = STEP_SERVICES[self.step]
            result = service(module, name)(actor=request.user, run=run)
        fresh = plan_run_get(request.user, result.reference)
        code = status.HTTP_201_CREATED if self.step == "replan" else status.HTTP_200_OK
        return Response(PlanRunDetailSerializer(fresh).data, status=code)


class PlanEditApi(PlanStepApi):
    step = "edit"

    @extend_schema(request=PlanEditSerializer, responses={200: PlanRunDetailSerializer})
    def post(self, request: Request, reference: str) -> Response:
        return super().post(request, reference)


class PlanReplanApi(PlanStepApi):
    step = "replan"

    @extend_schema(request=None, responses={201: PlanRunDetailSerializer})
    def post(self, request: Request, reference: str) -> Response:
        return super().post(request, reference)
