"""The teams API: :mod:`.teams` (teams), :mod:`.rounds` (rounds, visits, the due list).

``API_URLPATTERNS`` is mounted under /api/v1/ by ``reliefops.teams.urls``."""

from django.urls import URLPattern, URLResolver, include, path

from reliefops.teams.api import rounds, teams

API_URLPATTERNS: list[URLPattern | URLResolver] = [
    path("", include(teams.router.urls)),
    path("", include(rounds.router.urls)),
    path("due/", rounds.DueApi.as_view(), name="due-list"),
]

# --- added for hosp
from reliefops.teams.api.hospital import API_URLPATTERNS as _HOSPITAL_API  # noqa: E402

API_URLPATTERNS += _HOSPITAL_API
