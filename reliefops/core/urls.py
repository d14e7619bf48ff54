"""URLs of the core domain: pages under /core/ and the API under /api/v1/."""

from django.urls import URLPattern, URLResolver

app_name = "core"

urlpatterns: list[URLPattern | URLResolver] = []
api_urlpatterns: list[URLPattern | URLResolver] = []
