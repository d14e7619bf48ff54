"""The logistics API: vehicles, convoys and their steps, consignments, passages."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

#: The API's URL patterns (``reliefops.logistics.urls`` mounts them under /api/v1/).
API_URLPATTERNS: list[URLPattern | URLResolver] = []
