"""Bulk exchange of the teams domain: each submodule registers its kinds.

``teams``   export: one row per team (organisations, base, vehicle, members' skills and
            languages; members' names are staff names, no phones).
``rounds``  export: one row per stop (round, date, team, sequence, place, person ref).
``visits``  one row per visit (the person by reference only); import and field
            submissions record and correct visits (:mod:`.visits`).
``referrals`` one row per referral (the person by reference); import and field
            submissions refer people and take the referral's steps (:mod:`.referrals`).
``caseload`` export (counts under 5 suppressed; :mod:`.hospital`).
"""

from reliefops.teams.exchange import hospital, referrals, rounds, teams, visits

__all__ = ["hospital", "referrals", "rounds", "teams", "visits"]
