"""The teams API: teams with their organisations, members' skills and languages."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.request import Request as ApiRequest
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from reliefops.teams.filtersets import TeamFilterSet
from reliefops.teams.models import Team, TeamMember
from reliefops.teams.selectors import team_facts, team_get, team_list


class MemberSerializer(serializers.ModelSerializer[TeamMember]):
    organisation = serializers.CharField(source="organisation.acronym", read_only=True)

    class Meta:
        model = TeamMember
        fields = ["name", "organisation", "skills", "languages", "is_lead", "is_active"]
        read_only_fields = fields


class TeamSerializer(serializers.ModelSerializer[Team]):
    organisation = serializers.CharField(source="organisation.acronym", read_only=True)
    partner_organisations = serializers.SerializerMethodField()
    area = serializers.CharField(source="area.code", read_only=True)
    service_areas = serializers.SerializerMethodField()
    base = serializers.CharField(source="base.code", read_only=True, default=None)
    vehicle = serializers.CharField(source="vehicle.registration", read_only=True, default=None)
    members = MemberSerializer(many=True, read_only=True)
    languages = serializers.SerializerMethodField()
    skills = serializers.SerializerMethodField()

    class Meta:
        model = Team
        fields = [
            "code",
            "name",
            "kind",
            "organisation",
            "partner_organisations",
            "area",
            "service_areas",
            "base",
            "vehicle",
            "is_active",
            "members",
            "skills",
            "languages",
        ]
        read_only_fields = fields

    @extend_schema_field({"type": "array", "items": {"type": "string"}})
    def get_partner_organisations(self, obj: Team) -> list[str]:
        return sorted(o.acronym for o in obj.partner_organisations.all())

    @extend_schema_field({"type": "array", "items": {"type": "string"}})
    def get_service_areas(self, obj: Team) -> list[str]:
        return sorted(a.code for a in obj.service_areas.all())

    @extend_schema_field({"type": "array", "items": {"type": "string"}})
    def get_languages(self, obj: Team) -> list[str]:
        return [code for code, _label in team_facts(obj).languages]

    @extend_schema_field({"type": "array", "items": {"type": "string"}})
    def get_skills(self, obj: Team) -> list[str]:
        return [code for code, _label in team_facts(obj).skills]


class TeamApi(viewsets.GenericViewSet[Team]):
    """Mobile teams the caller sees (by the team's home area)."""

    serializer_class = TeamSerializer
    filterset_class = TeamFilterSet
    lookup_field = "code"
    lookup_value_regex = "[^/]+"

    def get_queryset(self) -> Any:
        return team_list(actor=self.request.user)

    def list(self, request: ApiRequest) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: ApiRequest, code: str) -> Response:
        return Response(self.get_serializer(team_get(actor=request.user, code=code)).data)


router = SimpleRouter()
router.register("teams", TeamApi, basename="team")
