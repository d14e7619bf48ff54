"""Query parameters of the reports pages, declared once (read by ``core.queries``)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class AdminAreaLayerQuery(serializers.Serializer[Any]):
    level = serializers.IntegerField(
        min_value=0, max_value=3, required=False, help_text=_("Only areas of this level.")
    )
