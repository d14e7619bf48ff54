"""API of the places domain."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers, viewsets

from reliefops.core.i18n import localized
from reliefops.places.models import AdminArea
from reliefops.places.selectors import admin_area_list


class AdminAreaSerializer(serializers.ModelSerializer[AdminArea]):
    name = serializers.SerializerMethodField()
    parent: serializers.SlugRelatedField[AdminArea] = serializers.SlugRelatedField(
        read_only=True, slug_field="code"
    )

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
        in_scope = self.request.query_params.get("in_scope", "").lower() in {"1", "true"}
        return admin_area_list(actor=self.request.user, in_scope=in_scope)
