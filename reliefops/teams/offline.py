"""The team round page works offline (docs/offline.md): a phone keeps it, and visits
recorded on it wait in the browser until they can be sent (``reliefops.core.offline``)."""

from reliefops.core.offline import offline_page

offline_page(
    "teams:round_detail",
    args=("reference",),
    assets=("teams/teams.css", "teams/round.js", "teams/round-offline.js"),
)
