"""URLs of the crossings domain (crossing-point flows, population estimates): pages under /crossings/ and the API under /api/v1/."""

from django.urls import URLPattern, URLResolver

app_name = "crossings"

urlpatterns: list[URLPattern | URLResolver] = []
api_urlpatterns: list[URLPattern | URLResolver] = []
