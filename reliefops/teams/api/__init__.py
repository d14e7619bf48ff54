"""The teams API: :mod:`.teams` (teams), :mod:`.rounds` (rounds, visits, the due list),
:mod:`.hospital` (referrals, hospital status and caseload).

``API_URLPATTERNS`` is mounted under /api/v1/ by ``reliefops.teams.urls``."""

from django.urls import URLPattern, URLResolver, include, path

from reliefops.teams.api import rounds, teams
from reliefops.teams.api.hospital import API_URLPATTERNS as _HOSPITAL_API

API_URLPATTERNS: list[URLPattern | URLResolver] = [
    path("", include(teams.router.urls)),
    path("", include(rounds.router.urls)),
    path("due/", rounds.DueApi.as_view(), name="due-list"),
    *_HOSPITAL_API,
]
