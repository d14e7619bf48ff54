"""API of the coordination domain."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.request import Request as ApiRequest
from rest_framework.response import Response

from reliefops.coordination.choices import PEOPLE_FIELDS, ActivityStatus, Sector
from reliefops.coordination.filtersets import ActivityFilterSet
from reliefops.coordination.models import Activity
from reliefops.coordination.selectors import (
    activity_area_by_code,
    activity_get,
    activity_list,
    activity_organisation_by_acronym,
    activity_place_by_code,
)
from reliefops.coordination.services import activity_create, activity_update
from reliefops.core.api import CodeLookupField


# --- added for fourw
def _acronym(organisation: Any) -> str:
    return str(organisation.acronym)


class ActivitySerializer(serializers.ModelSerializer[Activity]):
    """A 4W activity: organisations by acronym, the area and the place by their codes,
    people planned and reached per sex and age group (null: not reported)."""

    reference = serializers.CharField(read_only=True, help_text="The 4W ID (4W-nnnnn).")
    organisation = CodeLookupField(activity_organisation_by_acronym, code_of=_acronym)
    implementing_partner = CodeLookupField(
        activity_organisation_by_acronym, code_of=_acronym, required=False, allow_null=True
    )
    area = CodeLookupField(activity_area_by_code, required=False, allow_null=True)
    place = CodeLookupField(activity_place_by_code, required=False, allow_null=True)
    sector = serializers.ChoiceField(choices=Sector.choices)
    status = serializers.ChoiceField(choices=ActivityStatus.choices, required=False)
    reason = serializers.CharField(
        write_only=True,
        required=False,
        max_length=500,
        help_text="Why the status changes (suspending and reopening need one).",
    )

    class Meta:
        model = Activity
        fields = [
            "id",
            "reference",
            "organisation",
            "implementing_partner",
            "donor",
            "sector",
            "activity",
            "activity_code",
            "area",
            "place",
            "start_date",
            "end_date",
            "status",
            *PEOPLE_FIELDS,
            "reason",
        ]
        read_only_fields = ["id", "reference"]


class ActivityApi(viewsets.ModelViewSet[Activity]):
    """4W: who does what, where, when. Listing is scoped to the caller's areas; a partner
    records and edits only its own organisation's activities (``activity.edit``)."""

    serializer_class = ActivitySerializer
    filterset_class = ActivityFilterSet
    lookup_field = "reference"
    lookup_value_regex = "[^/]+"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> Any:
        return activity_list(actor=self.request.user)

    def retrieve(self, request: ApiRequest, reference: str) -> Response:
        return Response(
            self.get_serializer(activity_get(actor=request.user, reference=reference)).data
        )

    def create(self, request: ApiRequest, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        state = values.pop("status", ActivityStatus.PLANNED)
        values.pop("reason", None)
        activity = activity_create(actor=request.user, status=state, **values)
        return Response(self.get_serializer(activity).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ActivitySerializer, responses=ActivitySerializer)
    def partial_update(self, request: ApiRequest, reference: str) -> Response:
        activity = activity_get(actor=request.user, reference=reference)
        serializer = self.get_serializer(activity, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        state = values.pop("status", None)
        reason = values.pop("reason", "")
        activity = activity_update(
            actor=request.user, activity=activity, changes=values, status=state, reason=reason
        )
        return Response(self.get_serializer(activity).data)
