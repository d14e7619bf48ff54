"""Bulk exchange of the teams domain: each submodule registers its kinds.

``teams``   export: one row per team (organisations, base, vehicle, members' skills and
            languages; members' names are staff names, no phones).
``rounds``  export: one row per stop (round, date, team, sequence, place, person ref).
``visits``  one row per visit (the person by reference only); import and field
            submissions record and correct visits (:mod:`.visits`).
``hospital`` exports of referrals (the person by reference) and the caseload (counts
            under 5 suppressed).
"""

from reliefops.teams.exchange import hospital, rounds, teams, visits

__all__ = ["hospital", "rounds", "teams", "visits"]
