"""Bulk exchange of the teams domain: each submodule registers its kinds.

``teams``   export: one row per team (organisations, base, vehicle, members' skills and
            languages; members' names are staff names, no phones).
``rounds``  export: one row per stop (round, date, team, sequence, place, person ref).
``visits``  export: one row per visit (the person by reference only).
"""

from reliefops.teams.exchange import rounds, teams

__all__ = ["rounds", "teams"]

# --- added for hosp
from reliefops.teams.exchange import hospital  # noqa: F401
