"""Bulk exchange of the teams domain: each submodule registers its kinds.

``teams``   export: one row per team (organisations, base, vehicle, members' skills and
            languages; members' names are staff names, no phones).
``rounds``  export: one row per stop (round, date, team, sequence, place, person ref).
``visits``  export: one row per visit (the person by reference only).
``hospital`` exports of referrals (the person by reference) and the caseload (counts
            under 5 suppressed).
"""

from reliefops.teams.exchange import hospital, rounds, teams

__all__ = ["hospital", "rounds", "teams"]
