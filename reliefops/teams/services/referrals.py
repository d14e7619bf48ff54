"""Referrals of a person to a facility, and their one workflow.

::

    referred → admitted → treated → discharged
    admitted / treated → transferred (to another facility)
    referred → cancelled

A team (or a coordinator) refers in the person's area (``referral.create``); the
receiving facility's staff take the steps in the FACILITY's area (``referral.update``),
so a field hospital's staff update the referrals sent to it and nobody else's. Audit
events name the referral and the person by their references only.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reliefops.core.actions import Action
from reliefops.core.audit import audit_record
from reliefops.core.errors import InvalidInput
from reliefops.core.permissions import UNSCOPED, Actor, actor_user, require_write
from reliefops.core.workflow import Transition, Workflow
from reliefops.people.services import consent_require
from reliefops.places.choices import FacilityKind
from reliefops.teams.choices import ReferralReason, ReferralStatus, Transport, Urgency
from reliefops.teams.models import Referral, Team, Visit
from reliefops.teams.services.steps import workflow_passed, workflow_path

if TYPE_CHECKING:
    from reliefops.people.models import Person
    from reliefops.places.models import Facility

S = ReferralStatus
A = Action

#: Facilities a person may be referred (or transferred) to.
REFERRAL_FACILITY_KINDS = frozenset(
    {FacilityKind.HOSPITAL, FacilityKind.FIELD_HOSPITAL, FacilityKind.HEALTH_POST}
)
#: Referrals still expected or in care at the facility.
OPEN_STATUSES = frozenset({S.REFERRED, S.ADMITTED, S.TREATED})


def facility_area(facility: Facility) -> Any:
    """The area a facility's staff act in (its place's admin1)."""
    return facility.place.admin1


REFERRAL_WORKFLOW = Workflow(
    name="referral",
    states=ReferralStatus,
    initial={S.REFERRED},
    scope=lambda referral: (referral.facility_area, UNSCOPED),
    invalid_message=_("The step “%(step)s” is not possible for a referral that is %(status)s."),
    transitions={
        "admit": Transition({S.REFERRED}, S.ADMITTED, A.REFERRAL_UPDATE, _("Admit")),
        "treat": Transition({S.ADMITTED}, S.TREATED, A.REFERRAL_UPDATE, _("Record treatment")),
        "discharge": Transition(
            {S.ADMITTED, S.TREATED},
            S.DISCHARGED,
            A.REFERRAL_UPDATE,
            _("Discharge"),
            confirm=_("Discharge the person? The referral is closed."),
        ),
        "transfer": Transition(
            {S.ADMITTED, S.TREATED},
            S.TRANSFERRED,
            A.REFERRAL_UPDATE,
            _("Transfer"),
            style="secondary",
            needs=("transferred_to",),
            confirm=_("Transfer the person to another facility? The referral is closed here."),
        ),
        "cancel": Transition(
            {S.REFERRED},
            S.CANCELLED,
            A.REFERRAL_UPDATE,
            _("Cancel"),
            style="danger",
            confirm=_("Cancel the referral? The person is no longer expected."),
        ),
    },
)
TRANSITIONS = REFERRAL_WORKFLOW.transitions
STEP_LABELS = {name: t.label for name, t in TRANSITIONS.items()}


def referral_steps_allowed(*, actor: Actor, referral: Referral) -> list[str]:
    """The steps ``actor`` may take on ``referral`` now (for buttons)."""
    return REFERRAL_WORKFLOW.allowed(actor=actor, record=referral)


def _facility_check(facility: Any, field: str) -> None:
    if getattr(facility, "kind", None) not in REFERRAL_FACILITY_KINDS:
        raise InvalidInput(_("Choose a hospital, field hospital or health post."), field=field)


def _choice(value: str, choices: Any, field: str, message: Any) -> None:
    if value not in choices.values:
        raise InvalidInput(message, field=field)


def _next_reference(day: dt.date) -> str:
    prefix = f"RF-{day:%y%m%d}-"
    taken = Referral.objects.filter(reference__startswith=prefix).values_list(
        "reference", flat=True
    )
    numbers = [int(r[len(prefix) :]) for r in taken if r[len(prefix) :].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1}"


def referral_create_check(
    *,
    actor: Actor,
    person: Person,
    facility: Facility,
    reason: str,
    urgency: str,
    transport: str,
    visit: Visit | None = None,
    referred_at: dt.datetime | None = None,
) -> dt.datetime:
    """Every check of :func:`referral_create` before it writes (permission, the facility,
    the choices, the visit, the time, consent); returns the referral's time. Writes
    nothing (importers report a row's problem with it)."""
    require_write(actor, A.REFERRAL_CREATE, area=person.area, organisation=UNSCOPED)
    _facility_check(facility, "facility")
    _choice(reason, ReferralReason, "reason", _("Choose a reason."))
    _choice(urgency, Urgency, "urgency", _("Choose the urgency."))
    _choice(transport, Transport, "transport", _("Choose the transport."))
    if visit is not None and visit.person_id != person.pk:
        raise InvalidInput(_("The visit is not this person's."), field="visit")
    at = referred_at or timezone.now()
    if at > timezone.now() + dt.timedelta(minutes=5):
        raise InvalidInput(_("The referral time is in the future."), field="referred_at")
    consent_require(person, "referral")
    return at


def referral_steps_to(*, actor: Actor, referral: Referral, status: str) -> list[str]:
    """The steps of :data:`REFERRAL_WORKFLOW` that bring ``referral`` to ``status`` ([] when
    it has reached or passed through it), the first checked for ``actor`` (the later ones
    need the same action in the same scope). Raises
    :class:`~reliefops.core.workflow.InvalidTransition` when it cannot get there. Writes
    nothing; :func:`referral_transition` takes the steps."""
    if workflow_passed(REFERRAL_WORKFLOW, referral.status, status):
        return []
    path = workflow_path(REFERRAL_WORKFLOW, referral.status, status)
    if path is None:
        raise REFERRAL_WORKFLOW._invalid(referral.status, step=None, to=str(status))
    REFERRAL_WORKFLOW.check(actor=actor, record=referral, step=path[0])
    return path


def referral_create(
    *,
    actor: Actor,
    person: Person,
    facility: Facility,
    reason: str,
    urgency: str,
    transport: str,
    visit: Visit | None = None,
    team: Team | None = None,
    referred_at: dt.datetime | None = None,
    client_id: uuid.UUID | None = None,
) -> Referral:
    """Refer ``person`` to ``facility`` (``referral.create`` in the person's area; the
    person must have consented to referral). A retried submission with the same
    ``client_id`` returns the referral it made the first time."""
    if client_id is not None:
        existing = Referral.objects.filter(client_id=client_id).first()
        if existing is not None:
            require_write(actor, A.REFERRAL_CREATE, area=existing.area, organisation=UNSCOPED)
            return existing
    at = referral_create_check(
        actor=actor,
        person=person,
        facility=facility,
        reason=reason,
        urgency=urgency,
        transport=transport,
        visit=visit,
        referred_at=referred_at,
    )
    if team is None and visit is not None:
        team = visit.team
    with transaction.atomic():
        # One reference number at a time: the facility row is the lock.
        type(facility)._default_manager.select_for_update().filter(pk=facility.pk).first()
        referral = Referral.objects.create(
            reference=_next_reference(timezone.localdate(at)),
            person=person,
            visit=visit,
            team=team,
            facility=facility,
            area=person.area,
            facility_area=facility_area(facility),
            referred_at=at,
            reason=reason,
            urgency=urgency,
            transport=transport,
            status=S.REFERRED,
            status_at=at,
            client_id=client_id,
            created_by=actor_user(actor),
        )
        audit_record(
            actor=actor,
            action="referral.create",
            obj=referral,
            after={
                "person": person.reference,
                "facility": facility.code,
                "reason": reason,
                "urgency": urgency,
                "transport": transport,
                "team": team.code if team is not None else None,
            },
        )
    return referral


def referral_transition(
    *,
    actor: Actor,
    referral: Referral,
    step: str,
    at: dt.datetime | None = None,
    transferred_to: Facility | None = None,
) -> Referral:
    """Take ``step`` of :data:`REFERRAL_WORKFLOW` (the facility's staff, in its area). A
    transfer names the facility the person goes to."""
    REFERRAL_WORKFLOW.step(step)
    with transaction.atomic():
        referral = (
            Referral.objects.select_for_update(of=("self",))
            .select_related("facility", "person")
            .get(pk=referral.pk)
        )
        _step, t = REFERRAL_WORKFLOW.check(actor=actor, record=referral, step=step)
        extra: dict[str, Any] = {}
        if step == "transfer":
            if transferred_to is None:
                raise InvalidInput(
                    _("Choose the facility the person is transferred to."), field="transferred_to"
                )
            _facility_check(transferred_to, "transferred_to")
            if transferred_to.pk == referral.facility_id:
                raise InvalidInput(
                    _("A transfer goes to another facility."), field="transferred_to"
                )
            referral.transferred_to = transferred_to
            extra["transferred_to"] = transferred_to.code
        when = at or timezone.now()
        if referral.status_at is not None and when < referral.status_at:
            raise InvalidInput(_("This is before the referral's last step."), field="at")
        before = referral.status
        referral.status, referral.status_at = t.target, when
        referral.updated_by = actor_user(actor)
        referral.save(
            update_fields=["status", "status_at", "transferred_to", "updated_by", "updated_at"]
        )
        audit_record(
            actor=actor,
            action=f"referral.{step}",
            obj=referral,
            before={"status": before},
            after={"status": t.target, **extra},
        )
    return referral
