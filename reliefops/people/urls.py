"""URLs of the people domain: pages under /people/ and the API under /api/v1/."""

from django.urls import URLPattern, URLResolver

app_name = "people"

urlpatterns: list[URLPattern | URLResolver] = []
api_urlpatterns: list[URLPattern | URLResolver] = []
