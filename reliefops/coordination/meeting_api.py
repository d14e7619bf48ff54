"""The meetings API under /api/v1/: meetings with their agenda, decisions (and a decision
turned into a request), action items with their workflow steps and links (working groups
and contacts: :mod:`.group_api`, registered here too). Thin: parse, call a service or
selector, render."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request as ApiRequest
from rest_framework.response import Response

from reliefops.coordination import meeting_selectors as sel
from reliefops.coordination import services
from reliefops.coordination.choices import LINK_KIND_CHOICES, MeetingKind
from reliefops.coordination.group_api import (
    ORG_CODE,
    CodeList,
    ContactApi,
    WorkingGroupApi,
    codes_of,
)
from reliefops.coordination.meeting_filtersets import (
    ActionItemFilterSet,
    DecisionFilterSet,
    MeetingFilterSet,
)
from reliefops.coordination.meeting_models import (
    ActionItem,
    Decision,
    Meeting,
)
from reliefops.core.api import CodeLookupField


class AgendaItemSerializer(serializers.Serializer[Any]):
    position = serializers.IntegerField(read_only=True)
    title = serializers.CharField(max_length=200)
    decisions = serializers.SerializerMethodField()

    @extend_schema_field({"type": "array", "items": {"type": "string"}})
    def get_decisions(self, obj: Any) -> list[str]:
        return codes_of(obj.decisions.all(), "reference")


class MeetingSerializer(serializers.ModelSerializer[Meeting]):
    kind = serializers.ChoiceField(choices=MeetingKind.choices)
    working_group = CodeLookupField(
        sel.working_group_by_code, required=False, allow_null=True, default=None
    )
    organisation = CodeLookupField(sel.organisation_by_acronym, **ORG_CODE)  # type: ignore[arg-type]
    place = CodeLookupField(sel.place_by_code)
    area = serializers.CharField(source="area.code", read_only=True, default=None)
    organisations = CodeList("acronym")
    agenda = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, write_only=True
    )

    class Meta:
        model = Meeting
        fields = ["reference", "title", "kind", "working_group", "organisation", "starts_at",
                  "ends_at", "place", "area", "organisations", "minutes", "agenda"]  # fmt: skip
        read_only_fields = ["reference", "area"]

    def to_representation(self, instance: Meeting) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["agenda"] = AgendaItemSerializer(
            sorted(instance.agenda.all(), key=lambda a: a.position), many=True
        ).data
        return data

    def validate_organisations(self, value: list[str]) -> list[Any]:
        actor = self.context["request"].user
        found = [sel.organisation_by_acronym(actor, code) for code in value]
        if any(o is None for o in found):
            raise serializers.ValidationError("Unknown organisation.")
        return found


class AgendaInputSerializer(serializers.Serializer[Any]):
    title = serializers.CharField(max_length=200)
    notes = serializers.CharField(required=False, default="", allow_blank=True)


class MeetingApi(viewsets.GenericViewSet[Meeting]):
    """Meetings in the caller's areas (by the area of the meeting's place)."""

    serializer_class = MeetingSerializer
    filterset_class = MeetingFilterSet
    lookup_field = "reference"
    lookup_value_regex = "[^/]+"

    def get_queryset(self) -> Any:
        return sel.meeting_list(actor=self.request.user).prefetch_related("agenda__decisions")

    def list(self, request: ApiRequest) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: ApiRequest, reference: str) -> Response:
        return Response(
            self.get_serializer(sel.meeting_get(actor=request.user, reference=reference)).data
        )

    @extend_schema(responses={201: MeetingSerializer})
    def create(self, request: ApiRequest) -> Response:
        form = self.get_serializer(data=request.data)
        form.is_valid(raise_exception=True)
        meeting = services.meeting_create(actor=request.user, **form.validated_data)
        return Response(self.get_serializer(meeting).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AgendaInputSerializer, responses={201: MeetingSerializer})
    @action(detail=True, methods=["post"])
    def agenda(self, request: ApiRequest, reference: str) -> Response:
        meeting = sel.meeting_get(actor=request.user, reference=reference)
        form = AgendaInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        services.agenda_item_add(actor=request.user, meeting=meeting, **form.validated_data)
        fresh = sel.meeting_get(actor=request.user, reference=reference)
        return Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)


class DecisionSerializer(serializers.ModelSerializer[Decision]):
    meeting = serializers.CharField(source="agenda_item.meeting.reference", read_only=True)
    agenda_item = serializers.IntegerField(source="agenda_item.position", read_only=True)
    requests = serializers.SerializerMethodField()

    class Meta:
        model = Decision
        fields = ["reference", "meeting", "agenda_item", "text", "requests"]
        read_only_fields = fields

    @extend_schema_field({"type": "array", "items": {"type": "string"}})
    def get_requests(self, obj: Decision) -> list[str]:
        return codes_of(obj.requests.all(), "reference")


class DecisionInputSerializer(serializers.Serializer[Any]):
    meeting = serializers.CharField(max_length=40)
    agenda_item = serializers.IntegerField(min_value=1)
    text = serializers.CharField()


class RequestLineInputSerializer(serializers.Serializer[Any]):
    item = CodeLookupField(sel.item_by_code)
    quantity = serializers.DecimalField(max_digits=16, decimal_places=3, min_value=0)


class DecisionRequestSerializer(serializers.Serializer[Any]):
    """The request a decision becomes (its source and decision fields come from it)."""

    organisation = CodeLookupField(sel.organisation_by_acronym, **ORG_CODE)  # type: ignore[arg-type]
    requester_kind = serializers.ChoiceField(
        choices=["facility", "place", "organisation", "people"], default="facility"
    )
    facility = CodeLookupField(sel.facility_by_code, required=False, allow_null=True)
    place = CodeLookupField(sel.place_by_code, required=False, allow_null=True)
    lines = RequestLineInputSerializer(many=True)
    needed_from = serializers.DateField()
    needed_by = serializers.DateField()
    priority = serializers.ChoiceField(
        choices=["life_saving", "urgent", "routine"], default="routine"
    )
    justification = serializers.CharField(required=False, default="", allow_blank=True)
    people_count = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    confirm_duplicate = serializers.BooleanField(default=False)
    confirm_fuel = serializers.BooleanField(default=False)


class CreatedRequestSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    reference = serializers.CharField()
    status = serializers.CharField()
    source = serializers.CharField()  # type: ignore[assignment]
    decision_reference = serializers.CharField()


class DecisionApi(viewsets.GenericViewSet[Decision]):
    serializer_class = DecisionSerializer
    filterset_class = DecisionFilterSet
    lookup_field = "reference"
    lookup_value_regex = "[^/]+"

    def get_queryset(self) -> Any:
        return sel.decision_list(actor=self.request.user)

    def list(self, request: ApiRequest) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: ApiRequest, reference: str) -> Response:
        return Response(
            self.get_serializer(sel.decision_get(actor=request.user, reference=reference)).data
        )

    @extend_schema(request=DecisionInputSerializer, responses={201: DecisionSerializer})
    def create(self, request: ApiRequest) -> Response:
        form = DecisionInputSerializer(data=request.data, context={"request": request})
        form.is_valid(raise_exception=True)
        v = form.validated_data
        meeting = sel.meeting_get(actor=request.user, reference=v["meeting"])
        item = sel.agenda_item_get(actor=request.user, meeting=meeting, position=v["agenda_item"])
        decision = services.decision_record(actor=request.user, agenda_item=item, text=v["text"])
        return Response(self.get_serializer(decision).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DecisionRequestSerializer, responses={201: CreatedRequestSerializer})
    @action(detail=True, methods=["post"], url_path="request")
    def make_request(self, request: ApiRequest, reference: str) -> Response:
        """Turn the decision into a needs request (the needs checks apply)."""
        decision = sel.decision_get(actor=request.user, reference=reference)
        form = DecisionRequestSerializer(data=request.data, context={"request": request})
        form.is_valid(raise_exception=True)
        v = dict(form.validated_data)
        lines = [
            services.LineInput(quantity=ln["quantity"], item=ln["item"]) for ln in v.pop("lines")
        ]
        created = services.decision_request_create(
            actor=request.user, decision=decision, lines=lines, **v
        )
        return Response(CreatedRequestSerializer(created).data, status=status.HTTP_201_CREATED)


class ActionItemSerializer(serializers.ModelSerializer[ActionItem]):
    meeting = serializers.CharField(max_length=40, write_only=True)
    decision = serializers.CharField(
        max_length=48, required=False, allow_null=True, default=None, write_only=True
    )
    owner_organisation = CodeLookupField(sel.organisation_by_acronym, **ORG_CODE)  # type: ignore[arg-type]
    owner_contact = CodeLookupField(
        sel.contact_by_id, code_of=lambda c: str(c.pk), required=False, allow_null=True,
        default=None,
    )  # fmt: skip
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = ActionItem
        fields = ["reference", "meeting", "decision", "title", "description",
                  "owner_organisation", "owner_contact", "due_date", "status", "overdue"]  # fmt: skip
        read_only_fields = ["reference", "status"]

    def to_representation(self, instance: ActionItem) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["meeting"] = instance.meeting.reference
        data["decision"] = instance.decision.reference if instance.decision else None
        data["links"] = {
            "requests": codes_of(instance.requests.all(), "reference"),
            "convoys": codes_of(instance.convoys.all(), "code"),
            "plan_runs": codes_of(instance.plan_runs.all(), "reference"),
            "visits": codes_of(self._visits(instance), "pk"),
        }
        return data

    def _visits(self, instance: ActionItem) -> list[Any]:
        """The linked visits the caller may see (a visit is about a person)."""
        request = self.context.get("request")
        if request is None or not instance.visits.all():  # (prefetched: no query without)
            return []
        return sel.action_item_links(actor=request.user, item=instance)["visits"]

    def get_overdue(self, obj: ActionItem) -> bool:
        return sel.action_item_is_overdue(obj)


class ActionItemLinkSerializer(serializers.Serializer[Any]):
    """What to link (or unlink): its kind and its reference (a request's reference, a
    convoy's code, a day plan's reference, a visit's id)."""

    kind = serializers.ChoiceField(choices=LINK_KIND_CHOICES)
    reference = serializers.CharField(max_length=64)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        target = self.context["find"](attrs["kind"], attrs["reference"].strip())
        if target is None:
            raise serializers.ValidationError(
                {"reference": [_("Nothing of this kind has this reference here.")]}
            )
        return {attrs["kind"]: [target]}


class ActionItemStepSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(required=False, default="", allow_blank=True, max_length=300)


class ActionItemApi(viewsets.GenericViewSet[ActionItem]):
    """Action items of the meetings in the caller's areas; each step is a POST."""

    serializer_class = ActionItemSerializer
    filterset_class = ActionItemFilterSet
    lookup_field = "reference"
    lookup_value_regex = "[^/]+"

    def get_queryset(self) -> Any:
        return sel.action_item_list(actor=self.request.user).prefetch_related(
            "requests", "convoys", "plan_runs", "visits"
        )

    def list(self, request: ApiRequest) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: ApiRequest, reference: str) -> Response:
        return Response(
            self.get_serializer(sel.action_item_get(actor=request.user, reference=reference)).data
        )

    @extend_schema(responses={201: ActionItemSerializer})
    def create(self, request: ApiRequest) -> Response:
        form = self.get_serializer(data=request.data)
        form.is_valid(raise_exception=True)
        v = dict(form.validated_data)
        meeting = sel.meeting_get(actor=request.user, reference=v.pop("meeting"))
        decision_ref = v.pop("decision", None)
        decision = (
            sel.decision_get(actor=request.user, reference=decision_ref) if decision_ref else None
        )
        item = services.action_item_create(
            actor=request.user, meeting=meeting, decision=decision, **v
        )
        return Response(self.get_serializer(item).data, status=status.HTTP_201_CREATED)

    def _step(self, request: ApiRequest, reference: str, step: str) -> Response:
        item = sel.action_item_get(actor=request.user, reference=reference)
        form = ActionItemStepSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        services.action_item_transition(
            actor=request.user, item=item, step=step, reason=form.validated_data["reason"]
        )
        fresh = sel.action_item_get(actor=request.user, reference=reference)
        return Response(self.get_serializer(fresh).data)

    @extend_schema(request=ActionItemStepSerializer, responses=ActionItemSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request: ApiRequest, reference: str) -> Response:
        return self._step(request, reference, "start")

    @extend_schema(request=ActionItemStepSerializer, responses=ActionItemSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request: ApiRequest, reference: str) -> Response:
        return self._step(request, reference, "complete")

    @extend_schema(request=ActionItemStepSerializer, responses=ActionItemSerializer)
    @action(detail=True, methods=["post"])
    def drop(self, request: ApiRequest, reference: str) -> Response:
        return self._step(request, reference, "drop")

    @extend_schema(request=ActionItemStepSerializer, responses=ActionItemSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request: ApiRequest, reference: str) -> Response:
        return self._step(request, reference, "reopen")

    def _link(self, request: ApiRequest, reference: str, *, unlink: bool) -> Response:
        item = sel.action_item_get(actor=request.user, reference=reference)
        actor = request.user
        find = (
            (lambda k, r: sel.action_item_linked(item, k, r))
            if unlink
            else (lambda k, r: sel.action_item_link_target(actor, k, r))
        )
        form = ActionItemLinkSerializer(data=request.data, context={"find": find})
        form.is_valid(raise_exception=True)
        write = services.action_item_unlink if unlink else services.action_item_link
        write(actor=actor, item=item, **form.validated_data)
        fresh = sel.action_item_get(actor=actor, reference=reference)
        return Response(self.get_serializer(fresh).data)

    @extend_schema(request=ActionItemLinkSerializer, responses=ActionItemSerializer)
    @action(detail=True, methods=["post"])
    def link(self, request: ApiRequest, reference: str) -> Response:
        """Link a request, convoy, day plan or visit the caller may see."""
        return self._link(request, reference, unlink=False)

    @extend_schema(request=ActionItemLinkSerializer, responses=ActionItemSerializer)
    @action(detail=True, methods=["post"])
    def unlink(self, request: ApiRequest, reference: str) -> Response:
        """Remove a link of the action item."""
        return self._link(request, reference, unlink=True)


def routes(router: Any) -> None:
    """Register the meeting viewsets on the app's router."""
    router.register("working-groups", WorkingGroupApi, basename="working-group")
    router.register("contacts", ContactApi, basename="contact")
    router.register("meetings", MeetingApi, basename="meeting")
    router.register("decisions", DecisionApi, basename="decision")
    router.register("action-items", ActionItemApi, basename="action-item")
