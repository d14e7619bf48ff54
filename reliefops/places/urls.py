"""URLs of the places domain: pages under /places/ and the API under /api/v1/."""

from django.urls import URLPattern, URLResolver, include, path
from rest_framework.routers import SimpleRouter

from reliefops.places import api

app_name = "places"

router = SimpleRouter()
router.register("admin-areas", api.AdminAreaListApi, basename="adminarea")

urlpatterns: list[URLPattern | URLResolver] = []
api_urlpatterns: list[URLPattern | URLResolver] = [
    path("", include(router.urls)),
]
