"""API of the accounts domain: memberships (read), ``me`` and API tokens."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate, user_logged_in
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from reliefops.accounts.authentication import locked_out_error, token_expires_at
from reliefops.accounts.models import Membership, User
from reliefops.accounts.selectors import membership_list
from reliefops.accounts.services import token_issue, token_revoke
from reliefops.accounts.two_factor import SecondFactorRequired, two_factor_needed, two_factor_verify
from reliefops.core.errors import InvalidInput
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


class TokenRequestSerializer(serializers.Serializer[Any]):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False)
    otp = serializers.CharField(
        max_length=12,
        required=False,
        help_text="The authenticator app's current code, for users who sign in with a "
        "second factor.",
    )


class TokenSerializer(serializers.Serializer[Any]):
    token = serializers.CharField(read_only=True)
    expires = serializers.DateTimeField(read_only=True)


class ErrorBodySerializer(serializers.Serializer[Any]):
    """``{"error": {"code", "message", "details"}}`` (documented, not validated)."""

    error = serializers.DictField(read_only=True)


class TokenObtainApi(APIView):
    """API tokens (``Authorization: Token …``), valid for ``API_TOKEN_TTL_HOURS``.

    ``POST`` a username and password: the current token, or a new one once it has expired.
    Sign-ins go through Django's ``authenticate()``, so django-axes counts failures per
    username and address; a locked-out combination gets a 429 ``locked_out`` error with
    ``Retry-After``. ``DELETE`` revokes the caller's token.
    """

    throttle_classes = [AnonRateThrottle]

    def get_permissions(self) -> list[BasePermission]:
        return [AllowAny()] if self.request.method == "POST" else [IsAuthenticated()]

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(ErrorBodySerializer, description="Wrong username or password."),
            429: OpenApiResponse(ErrorBodySerializer, description="Locked out; see Retry-After."),
        },
        auth=[],
    )
    def post(self, request: Request) -> Response:
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # The Django request, not DRF's wrapper: django-axes flags it when it refuses.
        http_request = request._request
        user = authenticate(
            http_request,
            username=serializer.validated_data["username"],
            password=serializer.validated_data["password"],
        )
        if user is None:
            if getattr(http_request, "axes_locked_out", False):
                raise locked_out_error()
            raise InvalidInput(_("Unable to sign in with the given username and password."))
        if two_factor_needed(user):
            code = serializer.validated_data.get("otp") or ""
            if not code:
                raise InvalidInput(SecondFactorRequired.default_message, field="otp")
            two_factor_verify(actor=user, code=code)
        # A token sign-in is a sign-in: last_login, and django-axes resets the failures.
        user_logged_in.send(sender=user.__class__, request=http_request, user=user)
        token = token_issue(actor=user)
        return Response({"token": token.key, "expires": token_expires_at(token)})

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request) -> Response:
        token_revoke(actor=request.user)
        return Response(status=204)
