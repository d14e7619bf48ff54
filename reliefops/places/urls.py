"""URLs of the places domain: pages under /places/ and the API under /api/v1/."""

from django.urls import URLPattern, URLResolver

app_name = "places"

urlpatterns: list[URLPattern | URLResolver] = []
api_urlpatterns: list[URLPattern | URLResolver] = []
