"""URLs of the organisations domain: the API under /api/v1/ (the page lives in coordination)."""

from django.urls import URLPattern, URLResolver, include, path
from rest_framework.routers import SimpleRouter

from reliefops.organisations import api

app_name = "organisations"

router = SimpleRouter()
router.register("organisations", api.OrganisationListApi, basename="organisation")

urlpatterns: list[URLPattern | URLResolver] = []
api_urlpatterns: list[URLPattern | URLResolver] = [path("", include(router.urls))]
