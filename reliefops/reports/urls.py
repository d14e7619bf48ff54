"""URLs of the reports domain: pages under /reports/ and the API under /api/v1/."""

from django.urls import URLPattern, URLResolver, path

from reliefops.reports import views

app_name = "reports"

urlpatterns: list[URLPattern | URLResolver] = [
    path("map/", views.map_view, name="map"),
    path("map/admin-areas.geojson", views.admin_areas_geojson_view, name="admin_areas_geojson"),
    path("map/requests.geojson", views.open_requests_geojson_view, name="requests_geojson"),
]
api_urlpatterns: list[URLPattern | URLResolver] = []
