"""Reads of the coordination domain, scoped by the caller's access."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from reliefops.coordination.choices import Sector
from reliefops.coordination.models import Presence
from reliefops.core.actions import Action
from reliefops.core.permissions import (
    Actor,
    allowed_area_ids,
    scope_queryset,
    user_organisation_ids,
)
from reliefops.organisations.selectors import organisation_list
from reliefops.places.selectors import admin_area_list

if TYPE_CHECKING:
    from reliefops.organisations.models import Organisation
    from reliefops.places.models import AdminArea


def presence_list(*, actor: Actor, filters: dict[str, Any] | None = None) -> QuerySet[Presence]:
    qs = Presence.objects.select_related("organisation", "area", "area__parent")
    qs = scope_queryset(actor, qs, area_field="area")
    for key, value in (filters or {}).items():
        if value:
            qs = qs.filter(**{key: value})
    return qs.order_by("area__code", "sector", "organisation__acronym")


def presence_area_choices(*, actor: Actor) -> QuerySet[AdminArea]:
    """The areas (below the country) the actor may record a presence in (``presence.edit``)."""
    qs = admin_area_list(actor=actor).filter(level__gte=1).order_by("code")
    scope = allowed_area_ids(actor, Action.PRESENCE_EDIT)
    return qs if scope is None else qs.filter(id__in=scope)


def presence_organisation_choices(*, actor: Actor) -> QuerySet[Organisation]:
    """The active organisations the actor may record a presence for (``presence.edit``)."""
    qs = organisation_list(actor=actor)
    scope = user_organisation_ids(actor, Action.PRESENCE_EDIT)
    return qs if scope is None else qs.filter(id__in=scope)


def presence_area_by_code(actor: Actor, code: str) -> AdminArea | None:
    """The area a presence names by its code (any readable area: the write checks scope)."""
    return admin_area_list(actor=actor).filter(code=code).first()


def presence_organisation_by_acronym(actor: Actor, acronym: str) -> Organisation | None:
    """The active organisation a presence names by its acronym (the write checks scope)."""
    return organisation_list(actor=actor).filter(acronym=acronym).first()


def partner_directory(*, actor: Actor) -> list[dict[str, Any]]:
    """The active partner organisations, each with the sectors of its 3W presence.

    Organisations are reference data every signed-in user reads; the sectors come from
    the presences the actor sees (their areas), so nobody learns of work elsewhere.
    """
    sectors: dict[Any, set[str]] = {}
    seen = presence_list(actor=actor).order_by().values_list("organisation_id", "sector")
    for organisation_id, sector in seen.distinct():
        sectors.setdefault(organisation_id, set()).add(sector)
    return [
        {
            "organisation": organisation,
            "sectors": [
                label
                for value, label in Sector.choices
                if value in sectors.get(organisation.pk, ())
            ],
        }
        for organisation in organisation_list(actor=actor)
    ]


# --- added for lists
def partner_organisation_list(*, actor: Actor) -> QuerySet[Any]:
    """The active partner organisations (reference data every signed-in user reads)."""
    return organisation_list(actor=actor)


def partner_sector_codes(*, actor: Actor, organisations: Any) -> list[dict[str, Any]]:
    """``organisations``, each with the sector codes of its 3W presence in the actor's areas."""
    ids = [organisation.pk for organisation in organisations]
    sectors: dict[Any, set[str]] = {}
    seen = presence_list(actor=actor).filter(organisation_id__in=ids)
    for organisation_id, sector in seen.order_by().values_list("organisation_id", "sector"):
        sectors.setdefault(organisation_id, set()).add(sector)
    return [
        {
            "organisation": organisation,
            "sectors": [v for v in Sector.values if v in sectors.get(organisation.pk, ())],
        }
        for organisation in organisations
    ]


def partner_sectors(*, actor: Actor, organisations: Any) -> list[dict[str, Any]]:
    """``organisations``, each with the sector labels of its presence in the actor's areas."""
    labels = dict(Sector.choices)
    return [
        {**row, "sectors": [labels[code] for code in row["sectors"]]}
        for row in partner_sector_codes(actor=actor, organisations=organisations)
    ]


def presence_list_areas(*, actor: Actor) -> QuerySet[AdminArea]:
    """The areas the presence list can be filtered by (the actor's, below the country)."""
    return admin_area_list(actor=actor, in_scope=True).filter(level__gte=1)


def presence_list_organisations(*, actor: Actor) -> QuerySet[Any]:
    """The organisations the presence list can be filtered by."""
    return organisation_list(actor=actor)


# --- added for meetings: working groups, contacts, meetings, decisions, action items
from reliefops.coordination.meeting_selectors import (  # noqa: E402
    action_item_get,
    action_item_is_overdue,
    action_item_list,
    action_item_open_count,
    action_item_overdue_list,
    action_item_overdue_q,
    agenda_item_get,
    area_by_code,
    contact_area_choices,
    contact_choices,
    contact_get,
    contact_list,
    contact_may_see_details,
    contact_organisation_choices,
    decision_get,
    decision_list,
    headquarters_choices,
    meeting_action_items,
    meeting_attachment_get,
    meeting_by_reference,
    meeting_get,
    meeting_list,
    meeting_organisation_choices,
    organisation_by_acronym,
    participant_organisation_choices,
    working_group_by_code,
    working_group_get,
    working_group_list,
)

__all__ = [
    "action_item_get",
    "action_item_is_overdue",
    "action_item_list",
    "action_item_open_count",
    "action_item_overdue_list",
    "action_item_overdue_q",
    "agenda_item_get",
    "area_by_code",
    "contact_area_choices",
    "contact_choices",
    "contact_get",
    "contact_list",
    "contact_may_see_details",
    "contact_organisation_choices",
    "decision_get",
    "decision_list",
    "headquarters_choices",
    "meeting_action_items",
    "meeting_attachment_get",
    "meeting_by_reference",
    "meeting_get",
    "meeting_list",
    "meeting_organisation_choices",
    "organisation_by_acronym",
    "participant_organisation_choices",
    "partner_directory",
    "partner_organisation_list",
    "partner_sector_codes",
    "partner_sectors",
    "presence_area_by_code",
    "presence_area_choices",
    "presence_list",
    "presence_list_areas",
    "presence_list_organisations",
    "presence_organisation_by_acronym",
    "working_group_by_code",
    "working_group_get",
    "working_group_list",
]
