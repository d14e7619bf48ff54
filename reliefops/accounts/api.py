"""API of the accounts domain: memberships (read), ``me``, API tokens (password-obtained and
scoped)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate, user_logged_in
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from reliefops.accounts.authentication import locked_out_error, token_expires_at
from reliefops.accounts.choices import TokenScope
from reliefops.accounts.models import ApiToken, Membership, User
from reliefops.accounts.selectors import (
    api_token_get,
    api_token_list,
    api_token_organisations,
    membership_list,
)
from reliefops.accounts.services import (
    TOKEN_DEFAULT_DAYS,
    TOKEN_MAX_DAYS,
    api_token_create,
    api_token_revoke,
    token_issue,
    token_revoke,
)
from reliefops.accounts.two_factor import SecondFactorRequired, two_factor_needed, two_factor_verify
from reliefops.core.actions import Action
from reliefops.core.errors import InvalidInput
from reliefops.core.permissions import allowed_area_ids, require, user_roles


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
        scoped = getattr(request.user, "api_token", None)
        if scoped is not None:  # a scoped token signs itself out
            api_token_revoke(actor=request.user, token=scoped)
        else:
            token_revoke(actor=request.user)
        return Response(status=204)


class ApiTokenSerializer(serializers.ModelSerializer[ApiToken]):
    owner = serializers.CharField(source="user.username", read_only=True)
    organisation = serializers.CharField(source="organisation.acronym", read_only=True)
    status = serializers.SerializerMethodField()
    revoked_by = serializers.CharField(
        source="revoked_by.username", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = ApiToken
        fields = [
            "id",
            "owner",
            "name",
            "description",
            "scope",
            "organisation",
            "key_prefix",
            "created_at",
            "expires_at",
            "last_used_at",
            "status",
            "revoked_at",
            "revoked_by",
        ]
        read_only_fields = fields

    def get_status(self, obj: ApiToken) -> str:
        return obj.status()


class ApiTokenCreateSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=100)
    description = serializers.CharField(max_length=500, required=False, allow_blank=True)
    scope = serializers.ChoiceField(choices=TokenScope.choices)
    organisation = serializers.CharField(
        max_length=32, help_text="Acronym of one of your memberships' organisations."
    )
    expires_in_days = serializers.IntegerField(
        min_value=1, max_value=TOKEN_MAX_DAYS, default=TOKEN_DEFAULT_DAYS
    )


class ApiTokenCreatedSerializer(ApiTokenSerializer):
    key = serializers.CharField(read_only=True, help_text="Shown once; only a hash is kept.")

    class Meta(ApiTokenSerializer.Meta):
        fields = [*ApiTokenSerializer.Meta.fields, "key"]
        read_only_fields = fields


class ApiTokenListApi(APIView):
    """Scoped API tokens of the caller (``?all=true``: every user's, administrators only).

    ``POST`` creates one (read or read-write, for one of the caller's organisations,
    expiring in ``expires_in_days``); the response carries the key once. Send it as
    ``Authorization: Bearer <key>`` (or ``Token <key>``).
    """

    @extend_schema(
        responses=ApiTokenSerializer(many=True),
        parameters=[
            OpenApiParameter("all", bool, description="Every user's tokens (administrators).")
        ],
    )
    def get(self, request: Request) -> Response:
        everyone = request.query_params.get("all", "").lower() in {"1", "true", "yes"}
        if everyone:
            require(request.user, Action.USER_MANAGE)
        tokens = api_token_list(actor=request.user, everyone=everyone)
        return Response(ApiTokenSerializer(tokens, many=True).data)

    @extend_schema(
        request=ApiTokenCreateSerializer,
        responses={
            201: ApiTokenCreatedSerializer,
            400: OpenApiResponse(ErrorBodySerializer, description="Invalid input."),
            403: OpenApiResponse(ErrorBodySerializer, description="Not allowed."),
        },
    )
    def post(self, request: Request) -> Response:
        serializer = ApiTokenCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        organisations = {o.acronym: o for o in api_token_organisations(actor=request.user)}
        organisation = organisations.get(data["organisation"])
        if organisation is None:
            raise InvalidInput(
                _("Choose one of the organisations you act for."),
                field="organisation",
                value=data["organisation"],
            )
        token, key = api_token_create(
            actor=request.user,
            name=data["name"],
            description=data.get("description", ""),
            scope=data["scope"],
            organisation=organisation,
            expires_in_days=data["expires_in_days"],
        )
        body = ApiTokenSerializer(token).data
        return Response({**body, "key": key}, status=201)


class ApiTokenDetailApi(APIView):
    """Revoke a scoped API token (your own; an administrator's: anyone's)."""

    @extend_schema(request=None, responses={204: None, 404: ErrorBodySerializer})
    def delete(self, request: Request, id: Any) -> Response:
        token = api_token_get(actor=request.user, pk=id)
        api_token_revoke(actor=request.user, token=token)
        return Response(status=204)
