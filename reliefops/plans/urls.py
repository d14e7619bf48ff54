"""URLs of the plans domain: pages under /plans/ and the API under /api/v1/."""

from django.urls import URLPattern, URLResolver

app_name = "plans"

urlpatterns: list[URLPattern | URLResolver] = []
api_urlpatterns: list[URLPattern | URLResolver] = []
