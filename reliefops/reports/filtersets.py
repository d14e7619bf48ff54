"""Query parameters of the reports pages, declared once (read by ``core.queries``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class AdminAreaLayerQuery(serializers.Serializer[Any]):
    level = serializers.IntegerField(
        min_value=0, max_value=3, required=False, help_text=_("Only areas of this level.")
    )


def _today() -> Any:
    return timezone.localdate()


class ReportDayQuery(serializers.Serializer[Any]):
    """The day of the dashboard (default today)."""

    date = serializers.DateField(
        required=False,
        default=_today,
        help_text=_("Day of the figures, YYYY-MM-DD (default today)."),
    )


class SitrepQuery(ReportDayQuery):
    """The situation report: day, language and (to download) format."""

    language = serializers.ChoiceField(
        choices=[code for code, _name in settings.LANGUAGES],
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Language of the report (default: the page's language)."),
    )
    format = serializers.ChoiceField(
        choices=["md", "html", "pdf"],
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Download the report in this format (md, html or pdf)."),
    )
