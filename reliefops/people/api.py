"""The people registry's API: pseudonymous records, consent, the logged reveal, the
duplicates review, merges and the identity access log.

Every serializer here carries pseudonymous fields only (those ``person_fields_for`` the
caller's roles allow), except the answer of ``POST /people/{reference}/reveal/``, which
is logged as an identity access and sent with ``Cache-Control: no-store``. Identity
values are accepted in request bodies (registering, correcting), never in a URL.
"""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, URLResolver, include, path
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request as ApiRequest
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from reliefops.core.actions import Action
from reliefops.core.api import CodeLookupField
from reliefops.core.errors import InvalidInput, NotFound
from reliefops.core.models import AuditEvent
from reliefops.core.permissions import require
from reliefops.people import services
from reliefops.people.audit_trail import AuditTrailFilterSet, audit_trail
from reliefops.people.choices import (
    AccessPurpose,
    AgeBand,
    ConsentGivenBy,
    ConsentPurpose,
    IdentityField,
    Mobility,
    PersonStatus,
    Sex,
    SpokenLanguage,
    Vulnerability,
)
from reliefops.people.filtersets import IdentityAccessFilterSet, PersonFilterSet
from reliefops.people.models import IdentityAccess
from reliefops.people.selectors import (
    duplicate_candidates,
    identity_access_log,
    merge_list,
    person_form_choices,
    person_lookup,
    person_row,
    person_scope,
)

FIRST_YEAR = 1900


def _place(user: Any, code: str) -> Any:
    return person_form_choices(user)["places"].filter(code=code).first()


def _organisation(user: Any, acronym: str) -> Any:
    return person_form_choices(user)["organisations"].filter(acronym=acronym).first()


def _year_of_birth() -> serializers.IntegerField:
    return serializers.IntegerField(
        min_value=FIRST_YEAR,
        max_value=timezone.localdate().year,
        required=False,
        allow_null=True,
    )


# --------------------------------------------------------------------------- serializers


class PersonSerializer(serializers.Serializer[Any]):
    """A person's pseudonymous record: only the fields the caller's roles need are sent."""

    reference = serializers.CharField(read_only=True)
    status = serializers.ChoiceField(choices=PersonStatus.choices, read_only=True)
    age_band = serializers.CharField(read_only=True, required=False)
    year_of_birth = serializers.IntegerField(read_only=True, required=False)
    sex = serializers.CharField(read_only=True, required=False)
    place = serializers.CharField(read_only=True, required=False)
    area = serializers.CharField(read_only=True, required=False, allow_null=True)
    lives_alone = serializers.BooleanField(read_only=True, required=False)
    mobility = serializers.CharField(read_only=True, required=False)
    languages = serializers.ListField(child=serializers.CharField(), read_only=True)
    vulnerabilities = serializers.ListField(child=serializers.CharField(), read_only=True)
    organisation = serializers.CharField(read_only=True, required=False)
    registered_on = serializers.DateField(read_only=True, required=False)
    synthetic = serializers.BooleanField(read_only=True, required=False)

    def to_representation(self, instance: Any) -> dict[str, Any]:
        user = getattr(self.context.get("request"), "user", None)
        return person_row(user, instance)


class ConsentInputSerializer(serializers.Serializer[Any]):
    purpose = serializers.ChoiceField(choices=ConsentPurpose.choices)
    given = serializers.BooleanField()
    given_on = serializers.DateField()
    given_by = serializers.ChoiceField(choices=ConsentGivenBy.choices, default=ConsentGivenBy.SELF)


class PersonCreateSerializer(serializers.Serializer[Any]):
    """Registering a person: identity (encrypted at rest), what a visit needs, consents."""

    full_name = serializers.CharField(max_length=200)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    address = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    year_of_birth = _year_of_birth()
    age_band = serializers.ChoiceField(choices=AgeBand.choices, required=False, default="")
    sex = serializers.ChoiceField(choices=Sex.choices, default=Sex.NOT_RECORDED)
    place = CodeLookupField(lookup=_place)
    lives_alone = serializers.BooleanField(default=False)
    mobility = serializers.ChoiceField(choices=Mobility.choices, default=Mobility.INDEPENDENT)
    languages = serializers.ListField(
        child=serializers.ChoiceField(choices=SpokenLanguage.choices),
        required=False,
        default=list,
        max_length=10,
    )
    vulnerabilities = serializers.ListField(
        child=serializers.ChoiceField(choices=Vulnerability.choices),
        required=False,
        default=list,
        max_length=20,
    )
    organisation = CodeLookupField(lookup=_organisation, code_name="acronym")
    registered_on = serializers.DateField(required=False, allow_null=True, default=None)
    consents = ConsentInputSerializer(many=True, required=False, default=list)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs.get("age_band") and attrs.get("year_of_birth") is None:
            raise serializers.ValidationError(
                {"age_band": [_("Give a year of birth or an age band.")]}
            )
        return attrs


class PersonUpdateSerializer(serializers.Serializer[Any]):
    """A correction: only the fields sent change (identity included, never echoed)."""

    full_name = serializers.CharField(max_length=200, required=False)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    address = serializers.CharField(max_length=500, required=False, allow_blank=True)
    year_of_birth = _year_of_birth()
    age_band = serializers.ChoiceField(choices=AgeBand.choices, required=False, allow_blank=True)
    sex = serializers.ChoiceField(choices=Sex.choices, required=False)
    place = CodeLookupField(lookup=_place, required=False)
    lives_alone = serializers.BooleanField(required=False)
    mobility = serializers.ChoiceField(choices=Mobility.choices, required=False)
    languages = serializers.ListField(
        child=serializers.ChoiceField(choices=SpokenLanguage.choices),
        required=False,
        max_length=10,
    )
    vulnerabilities = serializers.ListField(
        child=serializers.ChoiceField(choices=Vulnerability.choices),
        required=False,
        max_length=20,
    )


class ConsentWithdrawSerializer(serializers.Serializer[Any]):
    purpose = serializers.ChoiceField(choices=ConsentPurpose.choices)
    on = serializers.DateField(required=False, allow_null=True, default=None)


class ConsentStateSerializer(serializers.Serializer[Any]):
    reference = serializers.CharField()
    consents = serializers.DictField(child=serializers.BooleanField())


@extend_schema_field(
    {
        "type": "string",
        "pattern": f"^({'|'.join(AccessPurpose.values)})$",
        "description": "; ".join(f"`{v}`: {label}" for v, label in AccessPurpose.choices),
    }
)
class AccessPurposeField(serializers.ChoiceField):
    """Why identity is shown. A pattern, not an enum, in the schema: ``purpose`` already
    names the consent purposes' enum (and one field name has one enum component)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=AccessPurpose.choices, **kwargs)


class RevealInputSerializer(serializers.Serializer[Any]):
    fields = serializers.ListField(  # type: ignore[assignment]  # (DRF pops declared fields)
        child=serializers.ChoiceField(choices=IdentityField.choices), min_length=1, max_length=3
    )
    purpose = AccessPurposeField()
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class RevealSerializer(serializers.Serializer[Any]):
    """The identity fields asked for (this answer alone carries identity; it is logged)."""

    reference = serializers.CharField()
    identity = serializers.DictField(child=serializers.CharField(allow_blank=True))


class DuplicateSerializer(serializers.Serializer[Any]):
    first = serializers.CharField(source="first.reference")
    second = serializers.CharField(source="second.reference")
    score = serializers.FloatField()
    evidence = serializers.DictField()


class PairSerializer(serializers.Serializer[Any]):
    first = serializers.CharField(max_length=16)
    second = serializers.CharField(max_length=16)


class MergeSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField(read_only=True)
    survivor = serializers.CharField(source="survivor.reference", read_only=True)
    duplicate = serializers.CharField(source="duplicate.reference", read_only=True)
    evidence = serializers.DictField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    undone_at = serializers.DateTimeField(read_only=True, allow_null=True)


class MergeCreateSerializer(serializers.Serializer[Any]):
    survivor = serializers.CharField(max_length=16)
    duplicate = serializers.CharField(max_length=16)


class IdentityAccessSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField(read_only=True)
    at = serializers.DateTimeField(read_only=True)
    user = serializers.CharField(source="user.username", read_only=True, default=None)
    person = serializers.CharField(source="person.reference", read_only=True)
    fields = serializers.ListField(  # type: ignore[assignment]  # (DRF pops declared fields)
        child=serializers.CharField(), read_only=True
    )
    purpose = serializers.CharField(read_only=True)
    reason = serializers.CharField(read_only=True)


class AuditEventSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField(read_only=True)
    at = serializers.DateTimeField(read_only=True)
    user = serializers.CharField(source="actor.username", read_only=True, default=None)
    action = serializers.CharField(read_only=True)
    object_type = serializers.CharField(read_only=True)
    object_id = serializers.CharField(read_only=True)
    object = serializers.CharField(source="object_repr", read_only=True)
    before = serializers.JSONField(read_only=True, allow_null=True)
    after = serializers.JSONField(read_only=True, allow_null=True)


# --------------------------------------------------------------------------- views


class _Gated(viewsets.GenericViewSet[Any]):
    """Refuses (403) a caller whose roles lack ``permission`` anywhere."""

    permission = Action.PERSON_READ

    def initial(self, request: ApiRequest, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        require(request.user, self.permission)

    def _page(self, queryset: Any) -> Response:
        page = self.paginate_queryset(self.filter_queryset(queryset))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class PersonApi(_Gated):
    """People, pseudonymous, scoped like the pages (a field worker: their team's areas)."""

    serializer_class = PersonSerializer
    filterset_class = PersonFilterSet
    lookup_field = "reference"
    lookup_value_regex = "[^/]+"

    def get_queryset(self) -> Any:
        return person_scope(self.request.user).select_related("organisation")

    def list(self, request: ApiRequest) -> Response:
        return self._page(self.get_queryset())

    def retrieve(self, request: ApiRequest, reference: str) -> Response:
        return Response(self.get_serializer(person_lookup(request.user, reference)).data)

    @extend_schema(request=PersonCreateSerializer, responses={201: PersonSerializer})
    def create(self, request: ApiRequest) -> Response:
        form = PersonCreateSerializer(data=request.data, context={"request": request})
        form.is_valid(raise_exception=True)
        v = form.validated_data
        registered_on = v["registered_on"] or timezone.localdate()
        person = services.person_register(
            actor=request.user,
            data=services.PersonInput(
                full_name=v["full_name"],
                phone=v["phone"],
                address=v["address"],
                year_of_birth=v.get("year_of_birth"),
                age_band=v["age_band"],
                sex=v["sex"],
                place=v["place"],
                lives_alone=v["lives_alone"],
                mobility=v["mobility"],
                languages=list(dict.fromkeys(v["languages"])),
                vulnerabilities=list(dict.fromkeys(v["vulnerabilities"])),
                organisation=v["organisation"],
                registered_on=registered_on,
                consents=[
                    services.ConsentInput(c["purpose"], c["given"], c["given_on"], c["given_by"])
                    for c in v["consents"]
                ],
            ),
        )
        person = person_lookup(request.user, person.reference)
        return Response(self.get_serializer(person).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PersonUpdateSerializer, responses=PersonSerializer)
    def partial_update(self, request: ApiRequest, reference: str) -> Response:
        person = person_lookup(request.user, reference)
        form = PersonUpdateSerializer(data=request.data, context={"request": request})
        form.is_valid(raise_exception=True)
        changes = dict(form.validated_data)
        if not changes:
            raise InvalidInput(_("Send at least one field to change."))
        for name in ("languages", "vulnerabilities"):
            if name in changes:
                changes[name] = list(dict.fromkeys(changes[name]))
        services.person_update(actor=request.user, person=person, changes=changes)
        return Response(self.get_serializer(person_lookup(request.user, reference)).data)

    @extend_schema(request=ConsentInputSerializer, responses=ConsentStateSerializer)
    @action(detail=True, methods=["post"])
    def consent(self, request: ApiRequest, reference: str) -> Response:
        person = person_lookup(request.user, reference)
        form = ConsentInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        services.consent_record(actor=request.user, person=person, **form.validated_data)
        return self._consents(person)

    @extend_schema(request=ConsentWithdrawSerializer, responses=ConsentStateSerializer)
    @action(detail=True, methods=["post"], url_path="withdraw-consent")
    def withdraw_consent(self, request: ApiRequest, reference: str) -> Response:
        person = person_lookup(request.user, reference)
        form = ConsentWithdrawSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        services.consent_withdraw(
            actor=request.user,
            person=person,
            purpose=form.validated_data["purpose"],
            on=form.validated_data["on"] or timezone.localdate(),
        )
        return self._consents(person)

    def _consents(self, person: Any) -> Response:
        state = services.consent_in_force(person)
        return Response({"reference": person.reference, "consents": state})

    @extend_schema(request=RevealInputSerializer, responses=RevealSerializer)
    @action(detail=True, methods=["post"])
    def reveal(self, request: ApiRequest, reference: str) -> Response:
        """The identity fields asked for, logged (who, whom, when, which, why)."""
        person = person_lookup(request.user, reference)
        form = RevealInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        v = form.validated_data
        identity = services.identity_reveal(
            actor=request.user,
            person=person,
            fields=list(dict.fromkeys(v["fields"])),
            purpose=v["purpose"],
            reason=v["reason"],
        )
        response = Response({"reference": person.reference, "identity": identity})
        patch_cache_control(response, no_store=True, private=True, max_age=0)
        return response


class DuplicateApi(_Gated):
    """Candidate pairs with their evidence (no names), and "not the same person"."""

    permission = Action.PERSON_MERGE
    serializer_class = DuplicateSerializer
    pagination_class = None

    def get_queryset(self) -> Any:  # the candidates are computed, not a table
        return person_scope(None).none()

    def list(self, request: ApiRequest) -> Response:
        candidates = duplicate_candidates(request.user)
        return Response(self.get_serializer(candidates, many=True).data)

    @extend_schema(request=PairSerializer, responses={204: None})
    @action(detail=False, methods=["post"])
    def dismiss(self, request: ApiRequest) -> Response:
        form = PairSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        first = person_lookup(request.user, form.validated_data["first"])
        second = person_lookup(request.user, form.validated_data["second"])
        services.duplicate_dismiss(actor=request.user, first=first, second=second)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MergeApi(_Gated):
    """Merges (both records and histories kept); the data-protection officer undoes one."""

    serializer_class = MergeSerializer
    lookup_value_regex = "[0-9a-fA-F-]{36}"

    def get_queryset(self) -> Any:
        return merge_list(self.request.user)

    def list(self, request: ApiRequest) -> Response:
        return self._page(self.get_queryset())

    @extend_schema(request=MergeCreateSerializer, responses={201: MergeSerializer})
    def create(self, request: ApiRequest) -> Response:
        form = MergeCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        survivor = person_lookup(request.user, form.validated_data["survivor"])
        duplicate = person_lookup(request.user, form.validated_data["duplicate"])
        evidence = next(
            (
                c.evidence
                for c in duplicate_candidates(request.user, person=survivor)
                if duplicate.pk in (c.first.pk, c.second.pk)
            ),
            {},
        )
        merge = services.person_merge(
            actor=request.user, survivor=survivor, duplicate=duplicate, evidence=evidence
        )
        return Response(self.get_serializer(merge).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=MergeSerializer)
    @action(detail=True, methods=["post"])
    def undo(self, request: ApiRequest, pk: str) -> Response:
        require(request.user, Action.PERSON_UNMERGE)
        merge = self.get_queryset().filter(pk=pk).first()
        if merge is None:
            raise NotFound(_("No such merge."))
        services.merge_undo(actor=request.user, merge=merge)
        merge.refresh_from_db()
        return Response(self.get_serializer(merge).data)


class AccessLogApi(_Gated):
    """Reveals of identity fields: who, whom, when, which fields and why."""

    permission = Action.ACCESS_LOG_VIEW
    serializer_class = IdentityAccessSerializer
    filterset_class = IdentityAccessFilterSet

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # the schema: no user to ask
            return IdentityAccess.objects.none()
        return identity_access_log(self.request.user)

    def list(self, request: ApiRequest) -> Response:
        return self._page(self.get_queryset())


class AuditTrailApi(_Gated):
    """The audit trail of every service (the data-protection officer's, installation-wide):
    by person reference, user, action prefix and period, as the page filters it."""

    permission = Action.ACCESS_LOG_VIEW
    serializer_class = AuditEventSerializer
    filterset_class = AuditTrailFilterSet

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # the schema: no user to ask
            return AuditEvent.objects.none()
        return audit_trail(self.request.user)

    def list(self, request: ApiRequest) -> Response:
        return self._page(self.get_queryset())


router = SimpleRouter()
# The fixed paths first: /people/{reference}/ would take "duplicates" for a reference.
router.register("people/duplicates", DuplicateApi, basename="person-duplicate")
router.register("people/merges", MergeApi, basename="person-merge")
router.register("people/access-log", AccessLogApi, basename="person-access")
router.register("people/audit-trail", AuditTrailApi, basename="person-audit")
router.register("people", PersonApi, basename="person")

#: The API's URL patterns (``reliefops.people.urls`` mounts them under /api/v1/).
API_URLPATTERNS: list[URLPattern | URLResolver] = [path("", include(router.urls))]
