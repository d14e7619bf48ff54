"""URLs of the places domain: pages under /places/ and the API under /api/v1/."""

from django.urls import URLPattern, URLResolver, include, path
from rest_framework.routers import SimpleRouter

from reliefops.places import api, views

app_name = "places"

router = SimpleRouter()
router.register("admin-areas", api.AdminAreaListApi, basename="adminarea")
router.register("places", api.PlaceListApi, basename="place")
router.register("facilities", api.FacilityListApi, basename="facility")
router.register("road-segments", api.RoadSegmentListApi, basename="roadsegment")

urlpatterns: list[URLPattern | URLResolver] = [
    path("map/panel/", views.map_panel_view, name="map_panel"),
    path("map/places.geojson", views.places_geojson_view, name="places_geojson"),
    path("map/facilities.geojson", views.facilities_geojson_view, name="facilities_geojson"),
    path("map/roads.geojson", views.roads_geojson_view, name="roads_geojson"),
    path("search/", views.place_search_view, name="search"),
    path("travel/", views.travel_view, name="travel"),
    path("facilities/<str:code>/", views.facility_detail_view, name="facility_detail"),
    path("facilities/<str:code>/edit/", views.facility_edit_view, name="facility_edit"),
    path("roads/<str:code>/", views.road_detail_view, name="road_detail"),
    path("roads/<str:code>/status/", views.road_status_view, name="road_status"),
    path("<str:code>/", views.place_detail_view, name="place_detail"),
    path("<str:code>/edit/", views.place_edit_view, name="place_edit"),
]
api_urlpatterns: list[URLPattern | URLResolver] = [
    path("places/match", api.PlaceMatchApi.as_view(), name="place_match"),
    path("travel-matrix", api.TravelMatrixApi.as_view(), name="travel_matrix"),
    path("routes", api.RouteListApi.as_view(), name="route_list"),
    path("", include(router.urls)),
]
