"""API of the accounts domain: memberships (read), ``me`` and API tokens."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from reliefops.accounts.models import Membership, User
from reliefops.accounts.selectors import membership_list
from reliefops.core.permissions import allowed_area_ids, user_roles


class MembershipSerializer(serializers.ModelSerializer[Membership]):
    username = serializers.CharField(source="user.username", read_only=True)
    organisation = serializers.CharField(source="organisation.acronym", read_only=True)
    areas: Any = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")

    class Meta:
        model = Membership
        fields = ["id", "username", "organisation", "role", "areas", "is_active"]


class MembershipListApi(viewsets.ReadOnlyModelViewSet[Membership]):
    serializer_class = MembershipSerializer
    filterset_fields = ["role", "organisation"]

    def get_queryset(self) -> Any:
        return membership_list(actor=self.request.user)


class MeSerializer(serializers.ModelSerializer[User]):
    roles = serializers.SerializerMethodField()
    memberships = MembershipSerializer(many=True, read_only=True)
    national_scope = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "email", "language", "roles", "national_scope", "memberships"]

    def get_roles(self, obj: User) -> list[str]:
        return sorted(user_roles(obj))

    def get_national_scope(self, obj: User) -> bool:
        return allowed_area_ids(obj) is None


class MeApi(APIView):
    @extend_schema(responses=MeSerializer)
    def get(self, request: Request) -> Response:
        return Response(MeSerializer(request.user).data)  # type: ignore[arg-type]


class TokenObtainApi(ObtainAuthToken):
    """Exchange a username and password for an API token (``Authorization: Token …``)."""

    throttle_classes = [AnonRateThrottle]
