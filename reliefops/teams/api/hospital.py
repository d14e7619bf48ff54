"""The referral and hospital API.

Referrals are named by their reference; each workflow step is a POST on
``/referrals/{reference}/{step}/``. Hospitals (field hospitals and hospitals) are named
by facility code: their latest status, ``status/`` to report beds and services,
``caseload/`` to report (POST) or read (GET, counts of 1–4 suppressed) the daily caseload.
A referral names the person by pseudonymous reference only.
"""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, URLResolver, include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request as ApiRequest
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from reliefops.core.api import CodeLookupField
from reliefops.core.errors import InvalidInput
from reliefops.core.privacy import suppress
from reliefops.teams import selectors, services
from reliefops.teams.choices import (
    CaseloadMeasure,
    HospitalService,
    ReferralReason,
    Transport,
    Urgency,
)
from reliefops.teams.filtersets import CaseloadFilterSet, ReferralFilterSet
from reliefops.teams.models import CaseloadCount, Referral


def _code(obj: Any) -> str | None:
    return obj.code if obj is not None else None


class ReferralSerializer(serializers.ModelSerializer[Referral]):
    person = serializers.CharField(source="person.reference", read_only=True)
    facility = serializers.CharField(source="facility.code", read_only=True)
    transferred_to = serializers.CharField(
        source="transferred_to.code", read_only=True, default=None
    )
    team = serializers.CharField(source="team.code", read_only=True, default=None)
    area = serializers.CharField(source="area.code", read_only=True, default=None)
    visit = serializers.UUIDField(source="visit_id", read_only=True, allow_null=True)

    class Meta:
        model = Referral
        fields = [
            "reference",
            "person",
            "visit",
            "team",
            "facility",
            "area",
            "referred_at",
            "reason",
            "urgency",
            "transport",
            "status",
            "status_at",
            "transferred_to",
        ]
        read_only_fields = fields


def _facility_field(**kwargs: Any) -> CodeLookupField:
    return CodeLookupField(
        lookup=lambda _user, code: selectors.lookup_referral_facility(code),
        error_messages={
            "does_not_exist": _("No hospital, field hospital or health post with this code.")
        },
        **kwargs,
    )


class ReferralCreateSerializer(serializers.Serializer[Any]):
    person = CodeLookupField(
        lookup=lambda user, ref: selectors.lookup_person(user, ref),
        code_name="reference",
        error_messages={"does_not_exist": _("No person with this reference that you may see.")},
    )
    facility = _facility_field()
    reason = serializers.ChoiceField(choices=ReferralReason.choices)
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.ROUTINE)
    transport = serializers.ChoiceField(choices=Transport.choices)
    visit = serializers.UUIDField(required=False, allow_null=True, default=None)
    referred_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    client_id = serializers.UUIDField(required=False, allow_null=True, default=None)


class ReferralStepSerializer(serializers.Serializer[Any]):
    at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    transferred_to = _facility_field(required=False, allow_null=True, default=None)


class HospitalStatusSerializer(serializers.Serializer[Any]):
    date = serializers.DateField()
    beds_total = serializers.IntegerField(min_value=0, max_value=100000)
    beds_available = serializers.IntegerField(min_value=0, max_value=100000)
    services = serializers.ListField(
        child=serializers.ChoiceField(choices=HospitalService.choices),
        max_length=len(HospitalService.choices),
        default=list,
    )


class HospitalSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(source="facility.code")
    name = serializers.CharField(source="facility.name")
    kind = serializers.CharField(source="facility.kind")
    date = serializers.DateField(source="status.date", default=None)
    beds_total = serializers.IntegerField(source="status.beds_total", default=None)
    beds_available = serializers.IntegerField(source="status.beds_available", default=None)
    services = serializers.ListField(
        source="status.services", child=serializers.CharField(), default=list
    )
    admissions_today = serializers.CharField()


class CaseloadCellSerializer(serializers.Serializer[Any]):
    measure = serializers.ChoiceField(choices=CaseloadMeasure.choices)
    age_band = serializers.ChoiceField(choices=selectors.AGE_BANDS)
    sex = serializers.ChoiceField(choices=selectors.SEXES)
    count = serializers.IntegerField(min_value=0, max_value=100000)


class CaseloadReportSerializer(serializers.Serializer[Any]):
    date = serializers.DateField()
    counts = serializers.ListField(child=CaseloadCellSerializer(), max_length=200)


class CaseloadRowSerializer(serializers.ModelSerializer[CaseloadCount]):
    facility = serializers.CharField(source="facility.code", read_only=True)
    count = serializers.SerializerMethodField(
        help_text="The count; null when 1–4 people (suppressed)."
    )

    class Meta:
        model = CaseloadCount
        fields = ["facility", "date", "measure", "age_band", "sex", "count"]
        read_only_fields = fields

    def get_count(self, obj: CaseloadCount) -> int | None:
        return suppress(obj.count)


class ReferralApi(viewsets.GenericViewSet[Referral]):
    """Referrals the caller may see (referring side or receiving facility's staff)."""

    serializer_class = ReferralSerializer
    filterset_class = ReferralFilterSet
    lookup_field = "reference"
    lookup_value_regex = "[^/]+"

    def get_queryset(self) -> Any:
        return selectors.referral_list(actor=self.request.user)

    def list(self, request: ApiRequest) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: ApiRequest, reference: str) -> Response:
        referral = selectors.referral_get(actor=request.user, reference=reference)
        return Response(self.get_serializer(referral).data)

    @extend_schema(request=ReferralCreateSerializer, responses={201: ReferralSerializer})
    def create(self, request: ApiRequest) -> Response:
        form = ReferralCreateSerializer(data=request.data, context={"request": request})
        form.is_valid(raise_exception=True)
        v = form.validated_data
        visit = None
        if v["visit"] is not None:
            visit = selectors.referral_visit(request.user, v["visit"])
        referral = services.referral_create(
            actor=request.user,
            person=v["person"],
            facility=v["facility"],
            reason=v["reason"],
            urgency=v["urgency"],
            transport=v["transport"],
            visit=visit,
            referred_at=v["referred_at"],
            client_id=v["client_id"],
        )
        referral = selectors.referral_get(actor=request.user, reference=referral.reference)
        return Response(self.get_serializer(referral).data, status=status.HTTP_201_CREATED)

    def _step(self, request: ApiRequest, reference: str, step: str) -> Response:
        referral = selectors.referral_get(actor=request.user, reference=reference)
        form = ReferralStepSerializer(data=request.data, context={"request": request})
        form.is_valid(raise_exception=True)
        services.referral_transition(
            actor=request.user,
            referral=referral,
            step=step,
            at=form.validated_data["at"],
            transferred_to=form.validated_data["transferred_to"],
        )
        referral = selectors.referral_get(actor=request.user, reference=reference)
        return Response(self.get_serializer(referral).data)

    @extend_schema(request=ReferralStepSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def admit(self, request: ApiRequest, reference: str) -> Response:
        return self._step(request, reference, "admit")

    @extend_schema(request=ReferralStepSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def treat(self, request: ApiRequest, reference: str) -> Response:
        return self._step(request, reference, "treat")

    @extend_schema(request=ReferralStepSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def discharge(self, request: ApiRequest, reference: str) -> Response:
        return self._step(request, reference, "discharge")

    @extend_schema(request=ReferralStepSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def transfer(self, request: ApiRequest, reference: str) -> Response:
        return self._step(request, reference, "transfer")

    @extend_schema(request=ReferralStepSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: ApiRequest, reference: str) -> Response:
        return self._step(request, reference, "cancel")


class HospitalApi(viewsets.GenericViewSet[Any]):
    """Hospitals and field hospitals with their latest beds and services."""

    serializer_class = HospitalSerializer
    lookup_field = "code"
    lookup_value_regex = "[^/]+"
    pagination_class = None

    def get_queryset(self) -> Any:
        return selectors.hospital_qs(actor=self.request.user)

    def _row(self, request: ApiRequest, code: str) -> Any:
        facility = selectors.hospital_get(actor=request.user, code=code)
        return next(
            r for r in selectors.hospital_rows(actor=request.user) if r.facility == facility
        )

    def list(self, request: ApiRequest) -> Response:
        rows = selectors.hospital_rows(actor=request.user)
        return Response(self.get_serializer(rows, many=True).data)

    def retrieve(self, request: ApiRequest, code: str) -> Response:
        return Response(self.get_serializer(self._row(request, code)).data)

    @extend_schema(request=HospitalStatusSerializer, responses=HospitalSerializer)
    @action(detail=True, methods=["post"])
    def status(self, request: ApiRequest, code: str) -> Response:
        facility = selectors.hospital_get(actor=request.user, code=code)
        form = HospitalStatusSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        v = form.validated_data
        services.hospital_status_report(
            actor=request.user,
            facility=facility,
            date=v["date"],
            beds_total=v["beds_total"],
            beds_available=v["beds_available"],
            services=v["services"],
        )
        return Response(self.get_serializer(self._row(request, code)).data)

    @extend_schema(request=CaseloadReportSerializer, responses=CaseloadRowSerializer(many=True))
    @action(detail=True, methods=["post"])
    def caseload(self, request: ApiRequest, code: str) -> Response:
        """Report the day's caseload (all-or-nothing); answers the day's cells (counts of
        1–4 suppressed)."""
        facility = selectors.hospital_get(actor=request.user, code=code)
        form = CaseloadReportSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        v = form.validated_data
        counts: dict[tuple[str, str, str], int] = {}
        for cell in v["counts"]:
            key = (cell["measure"], cell["age_band"], cell["sex"])
            if key in counts:
                raise InvalidInput(
                    _("A caseload cell is given twice: %(cell)s.")
                    % {"cell": services.cell_key(key)},
                    field="counts",
                )
            counts[key] = cell["count"]
        services.caseload_report(
            actor=request.user, facility=facility, date=v["date"], counts=counts
        )
        cells = selectors.caseload_export_rows(actor=request.user, facility_codes=[code])
        return Response(CaseloadRowSerializer(cells.filter(date=v["date"]), many=True).data)


class CaseloadApi(mixins.ListModelMixin, viewsets.GenericViewSet[CaseloadCount]):
    """Caseload cells of the hospitals (the ``caseload`` export's rows; counts of 1–4
    people are null: suppressed)."""

    serializer_class = CaseloadRowSerializer
    filterset_class = CaseloadFilterSet

    def get_queryset(self) -> Any:
        return selectors.caseload_export_rows(actor=self.request.user)


router = SimpleRouter()
router.register("referrals", ReferralApi, basename="referral")
router.register("hospitals", HospitalApi, basename="hospital")
router.register("caseload", CaseloadApi, basename="caseload")

API_URLPATTERNS: list[URLPattern | URLResolver] = [path("", include(router.urls))]
