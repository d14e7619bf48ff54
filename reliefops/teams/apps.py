"""The teams app: it plugs its records about people into the registry's subject data."""

from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _visit_rows(person: Any) -> list[dict[str, Any]]:
    from reliefops.teams.models import Visit

    return [
        {
            "person": person.reference,
            "team": v.team.code,
            "place": v.place.code,
            "visited_at": v.visited_at.isoformat(),
            "outcome": v.outcome,
            "services": list(v.services),
            "follow_up_due": v.follow_up_due.isoformat() if v.follow_up_due else None,
        }
        for v in Visit.objects.filter(person=person).select_related("team", "place")
    ]


def _visits_erase(person: Any) -> int:
    """What must not survive the person's erasure: the visits' history rows (their past
    versions) and the follow-up due (it would keep them on the due lists). The visits stay,
    pseudonymous, for the counts of what teams did."""
    from reliefops.teams.models import Visit

    visits = Visit.objects.filter(person=person)
    history, _by_model = Visit.history.filter(person_id=person.pk).delete()  # type: ignore[attr-defined]
    cleared = visits.exclude(follow_up_due=None).update(follow_up_due=None)
    return int(history) + int(cleared)


def _stop_rows(person: Any) -> list[dict[str, Any]]:
    from reliefops.teams.models import RoundStop

    return [
        {
            "person": person.reference,
            "round": s.round.reference,
            "date": s.round.date.isoformat(),
            "sequence": s.sequence,
            "place": s.place.code,
        }
        for s in RoundStop.objects.filter(person=person).select_related("round", "place")
    ]


class TeamsConfig(AppConfig):
    name = "reliefops.teams"
    label = "teams"
    verbose_name = _("Mobile teams")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from reliefops.people.services import SubjectData, subject_data_register
        from reliefops.teams import due_store

        due_store.connect(self)

        subject_data_register(
            "visits",
            SubjectData(label=_("Visits"), rows=_visit_rows, erase=_visits_erase),
        )
        subject_data_register("round_stops", SubjectData(label=_("Round stops"), rows=_stop_rows))
        from reliefops.teams.subject_hospital import register_subject_data

        register_subject_data()
