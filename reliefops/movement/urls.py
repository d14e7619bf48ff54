"""URLs of the movement domain: pages under /movement/ and the API under /api/v1/."""

from django.urls import URLPattern, URLResolver

app_name = "movement"

urlpatterns: list[URLPattern | URLResolver] = []
api_urlpatterns: list[URLPattern | URLResolver] = []
