"""The API of the coordination bodies and the contacts directory under /api/v1/: working
groups (read by every signed-in user, changed with ``working_group.manage``) and contacts
(the phone and e-mail written, never read back: ``POST …/details/`` shows them, logged).
Thin: parse, call a service or selector, render."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request as ApiRequest
from rest_framework.response import Response

from reliefops.coordination import meeting_selectors as sel
from reliefops.coordination import services
from reliefops.coordination.choices import BodyKind, Sector
from reliefops.coordination.meeting_filtersets import ContactFilterSet, WorkingGroupFilterSet
from reliefops.coordination.meeting_models import Contact, WorkingGroup
from reliefops.core.api import CodeLookupField
from reliefops.people.choices import SpokenLanguage

ORG_CODE = {"code_of": lambda o: o.acronym, "code_name": "acronym"}


def codes_of(objects: Any, attr: str) -> list[str]:
    return sorted(str(getattr(o, attr)) for o in objects)


class CodeList(serializers.ListField):
    """Codes in (checked by the serializer's ``validate_<field>``), a related set's codes out."""

    def __init__(self, attr: str, **kwargs: Any) -> None:
        self.attr = attr
        super().__init__(child=serializers.CharField(max_length=32), required=False, **kwargs)

    def to_representation(self, data: Any) -> list[str]:
        return codes_of(data.all() if hasattr(data, "all") else data, self.attr)


class WorkingGroupSerializer(serializers.ModelSerializer[WorkingGroup]):
    parent = serializers.CharField(  # type: ignore[assignment]
        source="parent.code", read_only=True, default=None
    )
    lead_organisation = serializers.CharField(source="lead_organisation.acronym", read_only=True)
    co_lead_organisation = serializers.CharField(
        source="co_lead_organisation.acronym", read_only=True, default=None
    )
    members = serializers.SerializerMethodField()
    areas = serializers.SerializerMethodField()

    class Meta:
        model = WorkingGroup
        fields = ["code", "name", "kind", "sector", "parent", "lead_organisation",
                  "co_lead_organisation", "members", "areas", "is_active"]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field({"type": "array", "items": {"type": "string"}})
    def get_members(self, obj: WorkingGroup) -> list[str]:
        return codes_of(obj.members.all(), "acronym")

    @extend_schema_field({"type": "array", "items": {"type": "string"}})
    def get_areas(self, obj: WorkingGroup) -> list[str]:
        return codes_of(obj.areas.all(), "code")


class WorkingGroupInputSerializer(serializers.Serializer[Any]):
    """A body's changes (``working_group.manage``); its code stays. A PATCH keeps what it
    does not name."""

    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=BodyKind.choices)
    sector = serializers.ChoiceField(choices=Sector.choices, required=False, allow_blank=True)
    parent = CodeLookupField(  # type: ignore[assignment]
        sel.working_group_by_code, required=False, allow_null=True
    )
    lead_organisation = CodeLookupField(sel.organisation_by_acronym, **ORG_CODE)  # type: ignore[arg-type]
    co_lead_organisation = CodeLookupField(
        sel.organisation_by_acronym,
        required=False,
        allow_null=True,
        **ORG_CODE,  # type: ignore[arg-type]
    )
    members = CodeList("acronym")
    areas = CodeList("code")
    is_active = serializers.BooleanField(required=False)

    def validate_members(self, value: list[str]) -> list[Any]:
        return _lookup_all(self.context["request"].user, value, sel.organisation_by_acronym)

    def validate_areas(self, value: list[str]) -> list[Any]:
        return _lookup_all(self.context["request"].user, value, sel.area_by_code)


def _lookup_all(actor: Any, codes: list[str], lookup: Any) -> list[Any]:
    found = [lookup(actor, code) for code in codes]
    unknown = [code for code, obj in zip(codes, found, strict=True) if obj is None]
    if unknown:
        raise serializers.ValidationError(f"Unknown code {unknown[0]}.")
    return found


class WorkingGroupApi(viewsets.GenericViewSet[WorkingGroup]):
    """Coordination bodies (reference data every signed-in user reads; changed with
    ``working_group.manage``)."""

    serializer_class = WorkingGroupSerializer
    filterset_class = WorkingGroupFilterSet
    lookup_field = "code"
    lookup_value_regex = "[^/]+"

    def get_queryset(self) -> Any:
        return sel.working_group_list(actor=self.request.user)

    def list(self, request: ApiRequest) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: ApiRequest, code: str) -> Response:
        return Response(
            self.get_serializer(sel.working_group_get(actor=request.user, code=code)).data
        )

    def _update(self, request: ApiRequest, code: str, *, partial: bool) -> Response:
        group = sel.working_group_get(actor=request.user, code=code)
        form = WorkingGroupInputSerializer(
            data=request.data, partial=partial, context={"request": request}
        )
        form.is_valid(raise_exception=True)
        # A PATCH keeps what it does not name; a PUT replaces: the optional fields left
        # out are empty.
        kept = {
            "sector": group.sector, "parent": group.parent,
            "co_lead_organisation": group.co_lead_organisation,
            "members": list(group.members.all()), "areas": list(group.areas.all()),
            "is_active": group.is_active,
        } if partial else {}  # fmt: skip
        current = {
            "name": group.name, "kind": group.kind, "lead_organisation": group.lead_organisation,
            **kept,
        }  # fmt: skip
        group = services.working_group_update(
            actor=request.user, group=group, **{**current, **form.validated_data}
        )
        return Response(
            self.get_serializer(sel.working_group_get(actor=request.user, code=code)).data
        )

    @extend_schema(request=WorkingGroupInputSerializer, responses=WorkingGroupSerializer)
    def update(self, request: ApiRequest, code: str) -> Response:
        return self._update(request, code, partial=False)

    @extend_schema(request=WorkingGroupInputSerializer, responses=WorkingGroupSerializer)
    def partial_update(self, request: ApiRequest, code: str) -> Response:
        return self._update(request, code, partial=True)


class ContactSerializer(serializers.ModelSerializer[Contact]):
    """A contact without its phone and e-mail (``POST …/details/`` shows them, logged)."""

    organisation = CodeLookupField(sel.organisation_by_acronym, **ORG_CODE)  # type: ignore[arg-type]
    languages = serializers.ListField(
        child=serializers.ChoiceField(choices=SpokenLanguage.choices), required=False
    )
    areas = CodeList("code")
    phone = serializers.CharField(
        max_length=40, required=False, write_only=True, allow_blank=True,
        help_text="Write only. On a change, leave it out to keep the stored phone.",
    )  # fmt: skip
    email = serializers.EmailField(
        required=False, write_only=True, allow_blank=True,
        help_text="Write only. On a change, leave it out to keep the stored e-mail.",
    )  # fmt: skip

    class Meta:
        model = Contact
        fields = ["id", "name", "organisation", "title", "languages", "areas", "phone", "email",
                  "is_active"]  # fmt: skip
        read_only_fields = ["id", "is_active"]

    def to_representation(self, instance: Contact) -> dict[str, Any]:
        return super().to_representation(instance)

    def validate_areas(self, value: list[str]) -> list[Any]:
        actor = self.context["request"].user
        found = [sel.area_by_code(actor, code) for code in value]
        unknown = [code for code, area in zip(value, found, strict=True) if area is None]
        if unknown:
            raise serializers.ValidationError(f"Unknown area {unknown[0]}.")
        return found


class ContactDetailsSerializer(serializers.Serializer[Any]):
    phone = serializers.CharField()
    email = serializers.CharField()


class ContactApi(viewsets.GenericViewSet[Contact]):
    serializer_class = ContactSerializer
    filterset_class = ContactFilterSet

    def get_queryset(self) -> Any:
        return sel.contact_list(actor=self.request.user)

    def list(self, request: ApiRequest) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: ApiRequest, pk: str) -> Response:
        return Response(self.get_serializer(sel.contact_get(actor=request.user, pk=pk)).data)

    @extend_schema(responses={201: ContactSerializer})
    def create(self, request: ApiRequest) -> Response:
        form = self.get_serializer(data=request.data)
        form.is_valid(raise_exception=True)
        contact = services.contact_create(actor=request.user, **form.validated_data)
        return Response(self.get_serializer(contact).data, status=status.HTTP_201_CREATED)

    def _update(self, request: ApiRequest, pk: str, *, partial: bool) -> Response:
        contact = sel.contact_get(actor=request.user, pk=pk)
        form = self.get_serializer(data=request.data, partial=partial)
        form.is_valid(raise_exception=True)
        # A PATCH keeps what it does not name; a PUT replaces (the optional fields left out
        # are empty) except the phone and e-mail, never read back: left out, they are kept.
        kept = {
            "title": contact.title, "languages": list(contact.languages),
            "areas": list(contact.areas.all()),
        } if partial else {}  # fmt: skip
        current = {
            "organisation": contact.organisation, "name": contact.name,
            "working_groups": list(contact.working_groups.all()),
            "is_active": contact.is_active, **kept,
        }  # fmt: skip
        services.contact_update(
            actor=request.user, contact=contact, **{**current, **form.validated_data}
        )
        return Response(self.get_serializer(sel.contact_get(actor=request.user, pk=pk)).data)

    @extend_schema(responses=ContactSerializer)
    def update(self, request: ApiRequest, pk: str) -> Response:
        """Change a contact; a phone or e-mail left out keeps the stored one."""
        return self._update(request, pk, partial=False)

    @extend_schema(responses=ContactSerializer)
    def partial_update(self, request: ApiRequest, pk: str) -> Response:
        return self._update(request, pk, partial=True)

    @extend_schema(request=None, responses=ContactDetailsSerializer)
    @action(detail=True, methods=["post"])
    def details(self, request: ApiRequest, pk: str) -> Response:
        """The phone and e-mail (``contact.view_details``; each showing is audited)."""
        contact = sel.contact_get(actor=request.user, pk=pk)
        return Response(services.contact_details_reveal(actor=request.user, contact=contact))
