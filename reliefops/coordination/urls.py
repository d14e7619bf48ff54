"""URLs of the coordination domain: pages under /coordination/ and the API under /api/v1/."""

from django.urls import URLPattern, URLResolver, include, path
from rest_framework.routers import SimpleRouter

from reliefops.coordination import api, meeting_api, meeting_views, views

app_name = "coordination"

router = SimpleRouter()
router.register("presence", api.PresenceApi, basename="presence")
meeting_api.routes(router)  # --- added for meetings

urlpatterns: list[URLPattern | URLResolver] = [
    path("presence/", views.presence_list_view, name="presence_list"),
    path("organisations/", views.organisation_list_view, name="organisation_list"),
    *meeting_views.URLPATTERNS,  # --- added for meetings
]
api_urlpatterns: list[URLPattern | URLResolver] = [path("", include(router.urls))]
