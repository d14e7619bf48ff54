"""URLs of the intake domain: pages under /intake/ and the API under /api/v1/."""

from django.urls import URLPattern, URLResolver

app_name = "intake"

urlpatterns: list[URLPattern | URLResolver] = []
api_urlpatterns: list[URLPattern | URLResolver] = []
