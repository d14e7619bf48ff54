"""URLs of the needs domain: pages under /needs/ and the API under /api/v1/."""

from django.urls import URLPattern, URLResolver

app_name = "needs"

urlpatterns: list[URLPattern | URLResolver] = []
api_urlpatterns: list[URLPattern | URLResolver] = []
