"""URLs of the reports domain: pages under /reports/ and the API under /api/v1/."""

from django.urls import URLPattern, URLResolver, path

from reliefops.reports import api, views

app_name = "reports"

urlpatterns: list[URLPattern | URLResolver] = [
    path("map/", views.map_view, name="map"),
    path("map/admin-areas.geojson", views.admin_areas_geojson_view, name="admin_areas_geojson"),
    path("map/requests.geojson", views.open_requests_geojson_view, name="requests_geojson"),
    path("dashboard/", views.dashboard_view, name="dashboard"),
    path("dashboard/heating.geojson", views.heating_geojson_view, name="heating_geojson"),
    path("sitrep/", views.sitrep_view, name="sitrep"),
    path("sitrep/subscription/", views.sitrep_subscription_view, name="sitrep_subscription"),
]
api_urlpatterns: list[URLPattern | URLResolver] = api.API_URLPATTERNS
