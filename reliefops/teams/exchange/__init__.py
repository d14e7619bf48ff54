"""Exporters and importers of the teams domain (registered with core.exchange)."""

# --- added for hosp
from reliefops.teams.exchange import hospital  # noqa: F401
