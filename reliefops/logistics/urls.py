"""URLs of the logistics domain: pages under /logistics/ and the API under /api/v1/."""

from django.urls import URLPattern, URLResolver

from reliefops.logistics import api

app_name = "logistics"

urlpatterns: list[URLPattern | URLResolver] = []
api_urlpatterns: list[URLPattern | URLResolver] = api.API_URLPATTERNS
