"""URLs of the teams domain: pages under /teams/ and the API under /api/v1/."""

from django.urls import URLPattern, URLResolver, path

from reliefops.teams import api
from reliefops.teams.views import due, hospital, referrals, rounds, teams

app_name = "teams"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", teams.team_list_view, name="team_list"),
    path("new/", teams.team_create_view, name="team_create"),
    path("due/", due.due_list_view, name="due_list"),
    path("due/add/", due.due_add_view, name="due_add"),
    path("rounds/", rounds.round_list_view, name="round_list"),
    path("rounds/new/", rounds.round_create_view, name="round_create"),
    path("rounds/<str:reference>/", rounds.round_detail_view, name="round_detail"),
    path("rounds/<str:reference>/steps/<str:step>/", rounds.round_step_view, name="round_step"),
    path(
        "rounds/<str:reference>/stops/<int:sequence>/visit/",
        rounds.stop_visit_view,
        name="stop_visit",
    ),
    path("visits/", rounds.visit_list_view, name="visit_list"),
    path("hospitals/", hospital.hospital_list_view, name="hospital_list"),
    path("hospitals/<str:code>/", hospital.hospital_detail_view, name="hospital_detail"),
    path("referrals/", referrals.referral_list_view, name="referral_list"),
    path("referrals/new/", referrals.referral_create_view, name="referral_create"),
    path("referrals/<str:reference>/", referrals.referral_detail_view, name="referral_detail"),
    path(
        "referrals/<str:reference>/steps/<str:step>/",
        referrals.referral_step_view,
        name="referral_step",
    ),
    path("<str:code>/", teams.team_detail_view, name="team_detail"),
    path("<str:code>/edit/", teams.team_edit_view, name="team_edit"),
    path("<str:code>/members/new/", teams.member_add_view, name="member_add"),
]
api_urlpatterns: list[URLPattern | URLResolver] = api.API_URLPATTERNS
