"""The teams API (DRF): ``API_URLPATTERNS`` is mounted under /api/v1/ by ``teams.urls``."""

from django.urls import URLPattern, URLResolver

API_URLPATTERNS: list[URLPattern | URLResolver] = []

# --- added for hosp
from reliefops.teams.api.hospital import API_URLPATTERNS as _HOSPITAL_API  # noqa: E402

API_URLPATTERNS += _HOSPITAL_API
