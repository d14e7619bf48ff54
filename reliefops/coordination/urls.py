"""URLs of the coordination domain: pages under /coordination/ and the API under /api/v1/."""

from django.urls import URLPattern, URLResolver

app_name = "coordination"

urlpatterns: list[URLPattern | URLResolver] = []
api_urlpatterns: list[URLPattern | URLResolver] = []
