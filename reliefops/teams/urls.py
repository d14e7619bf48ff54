"""URLs of the teams domain: pages under /teams/ and the API under /api/v1/."""

from django.urls import URLPattern, URLResolver

from reliefops.teams import api

app_name = "teams"

urlpatterns: list[URLPattern | URLResolver] = []
api_urlpatterns: list[URLPattern | URLResolver] = api.API_URLPATTERNS

# --- added for hosp
from django.urls import path  # noqa: E402

from reliefops.teams.views import hospital as hospital_views  # noqa: E402
from reliefops.teams.views import referrals as referral_views  # noqa: E402

urlpatterns += [
    path("hospitals/", hospital_views.hospital_list_view, name="hospital_list"),
    path("hospitals/<str:code>/", hospital_views.hospital_detail_view, name="hospital_detail"),
    path("referrals/", referral_views.referral_list_view, name="referral_list"),
    path("referrals/new/", referral_views.referral_create_view, name="referral_create"),
    path("referrals/<str:reference>/", referral_views.referral_detail_view, name="referral_detail"),
    path(
        "referrals/<str:reference>/steps/<str:step>/",
        referral_views.referral_step_view,
        name="referral_step",
    ),
]
