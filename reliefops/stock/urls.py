"""URLs of the stock domain: pages under /stock/ and the API under /api/v1/."""

from django.urls import URLPattern, URLResolver

app_name = "stock"

urlpatterns: list[URLPattern | URLResolver] = []
api_urlpatterns: list[URLPattern | URLResolver] = []
