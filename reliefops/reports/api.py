"""The reports API under /api/v1/ (thin: parse, call a selector, render).

``reports/dashboard/``  the dashboard's figures of ``?date=`` (default today) within the
                        caller's access: per section its key figures (suppressed counts
                        are null), charts and tables — the same numbers as the page and
                        the situation report.
"""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, URLResolver, path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request as ApiRequest
from rest_framework.response import Response
from rest_framework.views import APIView

from reliefops.core.queries import query_params
from reliefops.reports.filtersets import ReportDayQuery
from reliefops.reports.selectors import dashboard_report


class FigureSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    value = serializers.FloatField(
        allow_null=True, help_text="null: suppressed (below 5) or unknown"
    )
    text = serializers.CharField()
    personal = serializers.BooleanField()
    alert = serializers.BooleanField()


class TableSerializer(serializers.Serializer[Any]):
    caption = serializers.CharField()
    headers = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(child=serializers.ListField(child=serializers.JSONField()))


class SectionSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    title = serializers.CharField()
    source = serializers.CharField()  # type: ignore[assignment]
    as_of = serializers.DateField(allow_null=True)
    figures = FigureSerializer(many=True)
    tables = TableSerializer(many=True)


class DashboardSerializer(serializers.Serializer[Any]):
    date = serializers.DateField()
    sections = SectionSerializer(many=True)


def _table(table: Any) -> dict[str, Any]:
    return {
        "caption": str(table.caption),
        "headers": [str(h) for h in table.headers],
        "rows": [[c if isinstance(c, (int, float)) else str(c) for c in row] for row in table.rows],
    }


class DashboardApi(APIView):
    """The dashboard's figures of a day within the caller's access."""

    @extend_schema(parameters=[ReportDayQuery], responses=DashboardSerializer)
    def get(self, request: ApiRequest) -> Response:
        day = query_params(request, ReportDayQuery)["date"]
        report = dashboard_report(actor=request.user, day=day)
        sections = [
            {
                "key": s.key,
                "title": str(s.title),
                "source": str(s.source),
                "as_of": s.as_of.isoformat() if s.as_of else None,
                "figures": [
                    {
                        "key": f.key,
                        "label": str(f.label),
                        "value": f.shown_value,
                        "text": f.text,
                        "personal": f.personal,
                        "alert": f.alert,
                    }
                    for f in s.figures
                ],
                "tables": [_table(c.table) for c in s.charts] + [_table(t) for t in s.tables],
            }
            for s in report.sections
        ]
        return Response({"date": day.isoformat(), "sections": sections})


API_URLPATTERNS: list[URLPattern | URLResolver] = [
    path("reports/dashboard/", DashboardApi.as_view(), name="reports-dashboard"),
]
