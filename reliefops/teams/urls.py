"""URLs of the teams domain: pages under /teams/ and the API under /api/v1/."""

from django.urls import URLPattern, URLResolver, path

from reliefops.teams import api
from reliefops.teams.views import due, rounds, teams

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
    path("<str:code>/", teams.team_detail_view, name="team_detail"),
    path("<str:code>/edit/", teams.team_edit_view, name="team_edit"),
    path("<str:code>/members/new/", teams.member_add_view, name="member_add"),
]
api_urlpatterns: list[URLPattern | URLResolver] = api.API_URLPATTERNS
