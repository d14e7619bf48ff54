"""URLs of the places domain: pages under /places/ and the API under /api/v1/."""

from django.urls import URLPattern, URLResolver, include, path
from rest_framework.routers import SimpleRouter

from reliefops.places import api

app_name = "places"

router = SimpleRouter()
router.register("admin-areas", api.AdminAreaListApi, basename="adminarea")
router.register("places", api.PlaceListApi, basename="place")
router.register("facilities", api.FacilityListApi, basename="facility")
router.register("road-segments", api.RoadSegmentListApi, basename="roadsegment")

urlpatterns: list[URLPattern | URLResolver] = []
api_urlpatterns: list[URLPattern | URLResolver] = [
    path("places/match", api.PlaceMatchApi.as_view(), name="place_match"),
    path("travel-matrix", api.TravelMatrixApi.as_view(), name="travel_matrix"),
    path("", include(router.urls)),
]
