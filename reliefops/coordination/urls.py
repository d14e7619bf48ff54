"""URLs of the coordination domain: pages under /coordination/ and the API under /api/v1/."""

from django.urls import URLPattern, URLResolver, include, path
from rest_framework.routers import SimpleRouter

from reliefops.coordination import api, group_views, meeting_api, meeting_views, views

app_name = "coordination"

router = SimpleRouter()
meeting_api.routes(router)  # --- added for meetings

urlpatterns: list[URLPattern | URLResolver] = [
    path("organisations/", views.organisation_list_view, name="organisation_list"),
    *meeting_views.URLPATTERNS,  # --- added for meetings
    *group_views.URLPATTERNS,  # contacts and working groups
]
api_urlpatterns: list[URLPattern | URLResolver] = [path("", include(router.urls))]

# --- added for fourw
router.register("activities", api.ActivityApi, basename="activities")
api_urlpatterns = [path("", include(router.urls))]  # the router's URLs with the above
urlpatterns += [
    path("activities/", views.activity_list_view, name="activity_list"),
    path("activities/new/", views.activity_create_view, name="activity_create"),
    path("activities/map/", views.activity_map_view, name="activity_map"),
    path("activities/matrix/", views.activity_matrix_view, name="activity_matrix"),
    path("activities/<str:reference>/", views.activity_detail_view, name="activity_detail"),
    path(
        "activities/<str:reference>/<str:step>/",
        views.activity_step_view,
        name="activity_step",
    ),
]
