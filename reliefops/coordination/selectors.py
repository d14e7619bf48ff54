"""Reads of the coordination domain, scoped by the caller's access."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet, Sum

from reliefops.coordination.choices import PEOPLE_FIELDS, Sector
from reliefops.coordination.models import Activity
from reliefops.core.actions import Action
from reliefops.core.errors import NotFound
from reliefops.core.i18n import localized
from reliefops.core.permissions import (
    Actor,
    allowed_area_ids,
    scope_queryset,
    user_organisation_ids,
)
from reliefops.organisations.selectors import organisation_list
from reliefops.places.selectors import (
    admin_area_descendant_ids,
    admin_area_list,
    places_by_code,
)

if TYPE_CHECKING:
    from reliefops.organisations.models import Organisation
    from reliefops.places.models import AdminArea, Place


def partner_directory(*, actor: Actor) -> list[dict[str, Any]]:
    """The active partner organisations, each with the sectors of its 4W activities.

    Organisations are reference data every signed-in user reads; the sectors come from
    the activities the actor sees (their areas), so nobody learns of work elsewhere.
    """
    sectors: dict[Any, set[str]] = {}
    seen = activity_list(actor=actor).order_by().values_list("organisation_id", "sector")
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
    """``organisations``, each with the sector codes of its 4W activities in the actor's areas."""
    ids = [organisation.pk for organisation in organisations]
    sectors: dict[Any, set[str]] = {}
    seen = activity_list(actor=actor).filter(organisation_id__in=ids)
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
    """``organisations``, each with the sector labels of its activities in the actor's areas."""
    labels = dict(Sector.choices)
    return [
        {**row, "sectors": [labels[code] for code in row["sectors"]]}
        for row in partner_sector_codes(actor=actor, organisations=organisations)
    ]


# --- added for fourw
def activity_list(*, actor: Actor, filters: dict[str, Any] | None = None) -> QuerySet[Activity]:
    """The 4W activities in the actor's areas (every organisation's: coordination is
    about seeing who else works there), with the joins a list or an export needs."""
    qs = Activity.objects.select_related(
        "organisation", "implementing_partner", "area", "area__parent", "place"
    )
    qs = scope_queryset(actor, qs, area_field="area")
    for key, value in (filters or {}).items():
        if value:
            qs = qs.filter(**{key: value})
    return qs.order_by("area__code", "sector", "organisation__acronym", "reference")


def activities_for(
    *,
    actor: Actor,
    on: dt.date | None = None,
    sector: str | None = None,
    status: Iterable[str] | None = None,
    area: AdminArea | None = None,
) -> QuerySet[Activity]:
    """The actor's activities, narrowed: running on ``on`` (started by then, not ended
    before), in ``sector``, with a ``status`` among those given, in ``area`` or below it
    (for the dashboard and the sitrep)."""
    qs = activity_list(actor=actor)
    if on is not None:
        qs = qs.exclude(start_date__gt=on).exclude(end_date__lt=on)
    if sector:
        qs = qs.filter(sector=sector)
    if status is not None:
        qs = qs.filter(status__in=list(status))
    if area is not None:
        qs = qs.filter(area__in=admin_area_descendant_ids([area.pk]))
    return qs


def activity_admin1(area: AdminArea) -> AdminArea:
    """The level-1 area an activity's area lies in (itself when it is level 1 or 0)."""
    while area.level > 1 and area.parent is not None:
        area = area.parent
    return area


@dataclass
class ActivityTotals:
    """People planned and reached, summed over activities (None: nobody reported)."""

    planned: dict[str, int | None]
    reached: dict[str, int | None]

    @property
    def planned_total(self) -> int | None:
        return _sum(self.planned.values())

    @property
    def reached_total(self) -> int | None:
        return _sum(self.reached.values())


def _sum(values: Iterable[int | None]) -> int | None:
    known = [v for v in values if v is not None]
    return sum(known) if known else None


def activity_people(activity: Activity, measure: str) -> int | None:
    """An activity's people ``planned`` or ``reached`` over every sex and age group."""
    return _sum(getattr(activity, name) for name in PEOPLE_FIELDS if name.startswith(f"{measure}_"))


def activity_totals(activities: QuerySet[Activity]) -> ActivityTotals:
    """The people counts of ``activities`` summed per ``<sex>_<age group>``."""
    sums = activities.order_by().aggregate(**{name: Sum(name) for name in PEOPLE_FIELDS})
    planned = {n.removeprefix("planned_"): sums[n] for n in PEOPLE_FIELDS if n[0] == "p"}
    reached = {n.removeprefix("reached_"): sums[n] for n in PEOPLE_FIELDS if n[0] == "r"}
    return ActivityTotals(planned=planned, reached=reached)


@dataclass
class AreaCount:
    """One level-1 area of the 4W map: how many organisations and activities work there."""

    area: AdminArea
    organisations: int
    activities: int
    sectors: list[str]
    reached: int | None


def activity_area_counts(*, actor: Actor, activities: QuerySet[Activity]) -> list[AreaCount]:
    """``activities`` (already scoped and filtered) counted per level-1 area, by code."""
    per: dict[Any, dict[str, Any]] = {}
    for activity in activities.select_related("area__parent__parent"):
        admin1 = activity_admin1(activity.area)
        entry = per.setdefault(
            admin1.pk, {"area": admin1, "orgs": set(), "n": 0, "sectors": set(), "reached": []}
        )
        entry["orgs"].add(activity.organisation_id)
        entry["n"] += 1
        entry["sectors"].add(activity.sector)
        entry["reached"].append(activity_people(activity, "reached"))
    return sorted(
        (
            AreaCount(
                area=e["area"],
                organisations=len(e["orgs"]),
                activities=e["n"],
                sectors=[v for v in Sector.values if v in e["sectors"]],
                reached=_sum(e["reached"]),
            )
            for e in per.values()
        ),
        key=lambda c: c.area.code,
    )


def activity_map_geojson(*, actor: Actor, activities: QuerySet[Activity]) -> dict[str, Any]:
    """The level-1 areas with activities as a GeoJSON FeatureCollection (areas without an
    outline are left out of the map but stay in :func:`activity_area_counts`)."""
    features = []
    for count in activity_area_counts(actor=actor, activities=activities):
        if not count.area.geometry:
            continue
        features.append(
            {
                "type": "Feature",
                "id": count.area.code,
                "geometry": count.area.geometry,
                "properties": {
                    "code": count.area.code,
                    "name": localized(count.area.names) or count.area.code,
                    "organisations": count.organisations,
                    "activities": count.activities,
                    "reached": count.reached,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


@dataclass
class ActivityMatrix:
    """Organisations × level-1 areas: the sectors each organisation works in per area."""

    organisations: list[Organisation]
    areas: list[AdminArea]
    cells: dict[tuple[Any, Any], list[str]]

    def row(self, organisation: Organisation) -> list[list[str]]:
        return [self.cells.get((organisation.pk, area.pk), []) for area in self.areas]

    def rows(self) -> list[tuple[Organisation, list[list[str]]]]:
        return [(o, self.row(o)) for o in self.organisations]

    def area_totals(self) -> list[int]:
        """How many organisations work in each area (the matrix's last row)."""
        return [
            sum(1 for o in self.organisations if (o.pk, area.pk) in self.cells)
            for area in self.areas
        ]


def activity_matrix(
    *, actor: Actor, activities: QuerySet[Activity] | None = None, sector: str | None = None
) -> ActivityMatrix:
    """Which organisation works in which level-1 area (cells: sector codes), over the
    actor's activities (or ``activities``, already scoped), optionally in one sector."""
    qs = activity_list(actor=actor) if activities is None else activities
    if sector:
        qs = qs.filter(sector=sector)
    cells: dict[tuple[Any, Any], set[str]] = {}
    organisations: dict[Any, Organisation] = {}
    areas: dict[Any, AdminArea] = {}
    for activity in qs.select_related("area__parent__parent"):
        admin1 = activity_admin1(activity.area)
        organisations[activity.organisation_id] = activity.organisation
        areas[admin1.pk] = admin1
        cells.setdefault((activity.organisation_id, admin1.pk), set()).add(activity.sector)
    return ActivityMatrix(
        organisations=sorted(organisations.values(), key=lambda o: o.acronym),
        areas=sorted(areas.values(), key=lambda a: a.code),
        cells={k: [v for v in Sector.values if v in found] for k, found in cells.items()},
    )


def activity_get(*, actor: Actor, reference: str) -> Activity:
    """One activity the actor may read, by its 4W ID (404 otherwise)."""
    found = activity_list(actor=actor).filter(reference=reference).first()
    if found is None:
        raise NotFound(kind="activity", reference=reference)
    return found


def activity_area_choices(*, actor: Actor) -> QuerySet[AdminArea]:
    """The areas (below the country) the actor may record an activity in (``activity.edit``)."""
    qs = admin_area_list(actor=actor).filter(level__gte=1).order_by("code")
    scope = allowed_area_ids(actor, Action.ACTIVITY_EDIT)
    return qs if scope is None else qs.filter(id__in=scope)


def activity_organisation_choices(*, actor: Actor) -> QuerySet[Organisation]:
    """The active organisations the actor may record activities for (``activity.edit``)."""
    qs = organisation_list(actor=actor)
    scope = user_organisation_ids(actor, Action.ACTIVITY_EDIT)
    return qs if scope is None else qs.filter(id__in=scope)


def activity_partner_choices(*, actor: Actor) -> QuerySet[Organisation]:
    """Organisations that may implement an activity (any active one)."""
    return organisation_list(actor=actor)


def activity_area_by_code(actor: Actor, code: str) -> AdminArea | None:
    """The area an activity names by its code (any readable area: the write checks scope)."""
    return admin_area_list(actor=actor).filter(code=code).first()


def activity_place_by_code(actor: Actor, code: str) -> Place | None:
    """The place an activity names by its P-code (reference data)."""
    return places_by_code([code]).get(code)


def activity_organisation_by_acronym(actor: Actor, acronym: str) -> Organisation | None:
    """The active organisation an activity names by its acronym (the write checks scope)."""
    return organisation_list(actor=actor).filter(acronym=acronym).first()


def activity_list_areas(*, actor: Actor) -> QuerySet[AdminArea]:
    """The areas the activity list can be filtered by (the actor's, below the country)."""
    return admin_area_list(actor=actor, in_scope=True).filter(level__gte=1)


def activity_list_organisations(*, actor: Actor) -> QuerySet[Organisation]:
    """The organisations the activity list can be filtered by."""
    return organisation_list(actor=actor)


def activity_references() -> set[str]:
    """Every 4W ID in use (an import tells a new ID from an existing one)."""
    return set(Activity.objects.values_list("reference", flat=True))


def activity_by_reference(reference: str) -> Activity | None:
    """The activity with this 4W ID, unscoped (the import's lookup; the write checks)."""
    return (
        Activity.objects.select_related(
            "organisation", "implementing_partner", "area", "area__parent", "place"
        )
        .filter(reference=reference)
        .first()
    )


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
    "working_group_by_code",
    "working_group_get",
    "working_group_list",
]
