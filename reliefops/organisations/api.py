"""API of the organisations domain (read-only reference data)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers, viewsets

from reliefops.core.i18n import localized
from reliefops.organisations.models import Organisation
from reliefops.organisations.selectors import organisation_list


class OrganisationSerializer(serializers.ModelSerializer[Organisation]):
    name = serializers.SerializerMethodField()

    class Meta:
        model = Organisation
        fields = ["id", "acronym", "name", "names", "kind"]

    def get_name(self, obj: Organisation) -> str:
        return localized(obj.names) or obj.acronym


class OrganisationListApi(viewsets.ReadOnlyModelViewSet[Organisation]):
    serializer_class = OrganisationSerializer
    filterset_fields = ["kind"]
    search_fields = ["acronym"]
    ordering_fields = ["acronym", "kind"]

    def get_queryset(self) -> Any:
        return organisation_list(actor=self.request.user)
