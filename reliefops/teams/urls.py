"""URLs of the teams domain: pages under /teams/ and the API under /api/v1/."""

from django.urls import URLPattern, URLResolver

from reliefops.teams import api

app_name = "teams"

urlpatterns: list[URLPattern | URLResolver] = []
api_urlpatterns: list[URLPattern | URLResolver] = api.API_URLPATTERNS

# --- added for hosp
