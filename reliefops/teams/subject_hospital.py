"""What the teams domain holds about a person for a subject access request: referrals
(registered with :func:`reliefops.people.services.subject_data_register`)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from reliefops.people.services import SubjectData, subject_data_register
from reliefops.teams.models import Referral


def referral_rows(person: Any) -> list[dict[str, Any]]:
    """The person's referrals, pseudonymous (the person by reference)."""
    return [
        {
            "reference": r.reference,
            "person": person.reference,
            "facility": r.facility.code,
            "team": r.team.code if r.team is not None else "",
            "referred_at": r.referred_at.isoformat(),
            "reason": r.reason,
            "urgency": r.urgency,
            "transport": r.transport,
            "status": r.status,
            "status_at": r.status_at.isoformat() if r.status_at else "",
            "transferred_to": r.transferred_to.code if r.transferred_to else "",
        }
        for r in Referral.objects.filter(person=person)
        .select_related("facility", "team", "transferred_to")
        .order_by("referred_at")
    ]


def referrals_erase(person: Any) -> int:
    """The history rows of the person's referrals (their past versions) go with the
    person's erasure; the referrals stay, pseudonymous, for the caseload counts."""
    deleted, _by_model = Referral.history.filter(person_id=person.pk).delete()  # type: ignore[attr-defined]
    return int(deleted)


def register_subject_data() -> None:
    subject_data_register(
        "referrals", SubjectData(label=_("Referrals"), rows=referral_rows, erase=referrals_erase)
    )
