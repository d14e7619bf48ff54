"""URLs of the accounts domain: pages under /accounts/ and the API under /api/v1/."""

from django.urls import URLPattern, URLResolver

app_name = "accounts"

urlpatterns: list[URLPattern | URLResolver] = []
api_urlpatterns: list[URLPattern | URLResolver] = []
