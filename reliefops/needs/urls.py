"""URLs of the needs domain: pages under /needs/ and the API under /api/v1/."""

from django.urls import URLPattern, URLResolver, include, path
from rest_framework.routers import SimpleRouter

from reliefops.needs import api, views

app_name = "needs"

router = SimpleRouter()
router.register("requests", api.RequestApi, basename="request")

urlpatterns: list[URLPattern | URLResolver] = [
    path("requests/", views.request_list_view, name="request_list"),
    path("requests/new/", views.request_create_view, name="request_create"),
    path("requests/<uuid:pk>/", views.request_detail_view, name="request_detail"),
    path("requests/<uuid:pk>/step/<slug:step>/", views.request_step_view, name="request_step"),
    path("requests/<uuid:pk>/comment/", views.request_comment_view, name="request_comment"),
    path("gap/", views.gap_view, name="gap"),
    path("estimators/", views.estimators_view, name="estimators"),
]
api_urlpatterns: list[URLPattern | URLResolver] = [
    path("", include(router.urls)),
    path("needs/gap/", api.GapApi.as_view(), name="needs-gap"),
    path("needs/sphere/<str:code>/", api.SphereApi.as_view(), name="needs-sphere"),
    path("needs/heating-fuel/<str:code>/", api.HeatingFuelApi.as_view(), name="needs-heating-fuel"),
]
