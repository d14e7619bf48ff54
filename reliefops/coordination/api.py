"""API of the coordination domain."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from reliefops.coordination.choices import Sector
from reliefops.coordination.filtersets import PresenceFilterSet
from reliefops.coordination.models import Presence
from reliefops.coordination.selectors import (
    presence_area_by_code,
    presence_list,
    presence_organisation_by_acronym,
)
from reliefops.coordination.services import presence_create
from reliefops.core.api import CodeLookupField


class PresenceSerializer(serializers.ModelSerializer[Presence]):
    organisation = CodeLookupField(
        presence_organisation_by_acronym, code_of=lambda organisation: organisation.acronym
    )
    area = CodeLookupField(presence_area_by_code, code_of=lambda area: area.code)
    sector = serializers.ChoiceField(choices=Sector.choices)

    class Meta:
        model = Presence
        fields = ["id", "organisation", "area", "sector", "activity", "start_date", "end_date"]


class PresenceApi(viewsets.ModelViewSet[Presence]):
    """3W presence: who works where in which sector. Listing is scoped to the caller's areas."""

    serializer_class = PresenceSerializer
    filterset_class = PresenceFilterSet
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> Any:
        return presence_list(actor=self.request.user)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        presence = presence_create(actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(presence).data, status=status.HTTP_201_CREATED)
