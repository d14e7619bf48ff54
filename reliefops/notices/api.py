"""API of the notices (thin): ``GET /notices/`` the caller's own (``?unread=true``,
``?kind=``), ``GET /notices/unread/`` the unread count, ``POST /notices/{id}/read/`` and
``POST /notices/read-all/`` mark read. Texts are rendered in the request's language."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from reliefops.core.api import Pagination
from reliefops.notices.filtersets import NoticeFilterSet
from reliefops.notices.messages import notice_text
from reliefops.notices.models import Notice
from reliefops.notices.selectors import notice_get, notice_list, notice_unread_count
from reliefops.notices.services import notice_read, notice_read_all


class NoticeSerializer(serializers.ModelSerializer[Notice]):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    text = serializers.SerializerMethodField()
    unread = serializers.BooleanField(read_only=True)

    class Meta:
        model = Notice
        fields = [
            "id",
            "kind",
            "kind_label",
            "text",
            "message",
            "params",
            "link",
            "reference",
            "created_at",
            "read_at",
            "unread",
        ]
        read_only_fields = fields

    def get_text(self, notice: Notice) -> str:
        return notice_text(notice)


_COUNT = inline_serializer("NoticeCount", {"unread": serializers.IntegerField()})
_MARKED = inline_serializer("NoticesMarked", {"marked": serializers.IntegerField()})


class NoticeListApi(generics.ListAPIView[Notice]):
    """The caller's own notices, newest first."""

    serializer_class = NoticeSerializer
    pagination_class = Pagination
    filterset_class = NoticeFilterSet

    def get_queryset(self) -> Any:
        return notice_list(actor=self.request.user)


class NoticeUnreadApi(APIView):
    """How many of the caller's notices are unread (the bell)."""

    @extend_schema(responses={200: _COUNT})
    def get(self, request: Request) -> Response:
        return Response({"unread": notice_unread_count(actor=request.user)})


class NoticeReadApi(APIView):
    """Mark one of the caller's notices read."""

    @extend_schema(request=None, responses={200: NoticeSerializer})
    def post(self, request: Request, pk: str) -> Response:
        notice = notice_read(actor=request.user, notice=notice_get(actor=request.user, pk=pk))
        return Response(NoticeSerializer(notice).data)


class NoticeReadAllApi(APIView):
    """Mark every unread notice of the caller read."""

    @extend_schema(request=None, responses={200: _MARKED})
    def post(self, request: Request) -> Response:
        return Response({"marked": notice_read_all(actor=request.user)})
