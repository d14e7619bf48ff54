"""URLs of the crossings domain (crossing-point flows, population estimates): pages under
/crossings/ and the API under /api/v1/."""

from django.urls import URLPattern, URLResolver, path

from reliefops.crossings import api
from reliefops.crossings.views import counts, points, populations

app_name = "crossings"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", points.overview_view, name="overview"),
    path("points/<str:code>/", points.point_detail_view, name="point_detail"),
    path("counts/", counts.count_list_view, name="count_list"),
    path("counts/new/", counts.count_create_view, name="count_create"),
    path("counts/<uuid:pk>/", counts.count_detail_view, name="count_detail"),
    path("populations/", populations.population_list_view, name="population_list"),
]
api_urlpatterns: list[URLPattern | URLResolver] = api.API_URLPATTERNS
