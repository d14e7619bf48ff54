"""Reads of requests and of what a request names (the form's choices, lookups by code)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import F, OuterRef, Prefetch, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from reliefops.core.actions import Action
from reliefops.core.errors import NotFound
from reliefops.core.permissions import Actor, scope_queryset, user_can, user_organisation_ids
from reliefops.needs.choices import OPEN_STATUSES, RequestSource
from reliefops.needs.models import Request, RequestLine
from reliefops.organisations.selectors import organisation_list, organisations_by_acronym
from reliefops.places.selectors import (
    facilities_by_code,
    facility_list,
    place_resolve,
    places_by_code,
)
from reliefops.stock.selectors import (
    item_list,
    items_by_code,
    warehouse_by_facility_code,
    warehouse_list,
)


def request_list(
    *,
    actor: Actor,
    status: Iterable[str] | None = None,
    area: Any = None,
    item: Any = None,
    priority: str | None = None,
    search: str = "",
) -> QuerySet[Request]:
    qs = scope_queryset(
        actor,
        Request.objects.select_related("place", "facility", "area", "organisation").defer(
            "area__geometry"  # an area's outline: not shown with a request, and large
        ),
        area_field="area",
    )
    if status:
        qs = qs.filter(status__in=list(status))
    if area is not None:
        qs = qs.filter(area=area)
    if item is not None:
        qs = qs.filter(lines__item=item).distinct()
    if priority:
        qs = qs.filter(priority=priority)
    if search:
        qs = qs.filter(reference__icontains=search)
    return qs.prefetch_related(
        Prefetch("lines", queryset=RequestLine.objects.select_related("item"))
    ).order_by("-created_at")


def request_open_on(*, actor: Actor, day: dt.date) -> QuerySet[Request]:
    """The actor's requests that were open at the end of ``day``: made by then, and in an
    open status by their recorded history (the latest version of that day; a request
    without recorded versions counts with its status now). Today or later: open now."""
    if day >= timezone.localdate():
        return request_list(actor=actor, status=OPEN_STATUSES).filter(created_at__date__lte=day)
    cutoff = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time()))
    status_then = (
        Request.history.model.objects.filter(id=OuterRef("pk"), history_date__lt=cutoff)
        .order_by("-history_date", "-history_id")
        .values("status")[:1]
    )
    return (
        request_list(actor=actor)
        .filter(created_at__lt=cutoff)
        .annotate(status_then=Coalesce(Subquery(status_then), F("status")))
        .filter(status_then__in=list(OPEN_STATUSES))
    )


def request_get(*, actor: Actor, pk: Any) -> Request:
    request = request_list(actor=actor).prefetch_related("comments__author").filter(pk=pk).first()
    if request is None:
        raise NotFound()
    return request


def request_history(*, request: Request) -> list[Any]:
    """The request's recorded versions (django-simple-history), newest first."""
    return list(request.history.select_related("history_user").order_by("-history_date")[:50])


# --------------------------------------------------------------------------- what a request names


@dataclass(frozen=True)
class RequestFormChoices:
    """What the request form offers ``actor``: the facilities and organisations they may
    submit for (``request.submit``) and the active catalogue items."""

    facilities: QuerySet[Any]
    organisations: QuerySet[Any]
    items: QuerySet[Any]


def request_form_choices(*, actor: Actor) -> RequestFormChoices:
    facilities = scope_queryset(
        actor,
        facility_list(actor=actor),
        area_field="place__admin1",
        action=Action.REQUEST_SUBMIT,
    )
    organisations = organisation_list(actor=actor)
    org_scope = user_organisation_ids(actor, Action.REQUEST_SUBMIT)
    if org_scope is not None:
        organisations = organisations.filter(pk__in=org_scope)
    items = item_list(actor=actor).filter(is_active=True)
    return RequestFormChoices(facilities, organisations, items)


def request_sources_allowed(*, actor: Actor) -> list[str]:
    """The sources ``actor`` may give a request: "estimator (draft)" only for those who run
    the estimators (``estimator.edit``), whose drafts the estimators create."""
    sources = list(RequestSource.values)
    if not user_can(actor, Action.ESTIMATOR_EDIT):
        sources.remove(RequestSource.ESTIMATOR)
    return sources


def request_place(text: str) -> Any | None:
    """The place a request names: a P-code or any spelling in any script (None if blank);
    an unknown or ambiguous name is the resolver's ``InvalidInput``."""
    return place_resolve(text) if text.strip() else None


def dispatch_warehouse_list(*, actor: Actor) -> QuerySet[Any]:
    """The warehouses ``actor`` may dispatch a request's goods from."""
    return warehouse_list(actor=actor, action=Action.STOCK_DISPATCH)


# What the API's fields and the importer look up by code: reference data, not scoped (the
# services check the request's area, organisation and warehouse).


def lookup_facility(code: str) -> Any | None:
    return facilities_by_code([code]).get(code)


def lookup_place(code: str) -> Any | None:
    return places_by_code([code]).get(code)


def lookup_organisation(acronym: str) -> Any | None:
    return organisations_by_acronym([acronym]).get(acronym)


def lookup_item(code: str) -> Any | None:
    return items_by_code([code]).get(code)


def lookup_warehouse(facility_code: str) -> Any | None:
    return warehouse_by_facility_code(facility_code)


@dataclass(frozen=True)
class RequestReferences:
    """Everything a request file may name, read once per import: facilities, places,
    organisations and items by their code, and the references already recorded."""

    facilities: dict[str, Any]
    places: dict[str, Any]
    organisations: dict[str, Any]
    items: dict[str, Any]
    references: set[str]


def request_import_references() -> RequestReferences:
    return RequestReferences(
        facilities=facilities_by_code(),
        places=places_by_code(),
        organisations=organisations_by_acronym(),
        items=items_by_code(),
        references=set(Request.objects.values_list("reference", flat=True)),
    )


def request_line_totals(*, actor: Actor) -> dict[str, Decimal]:
    """Open remaining quantity per item code (the dashboard's headline)."""
    qs = scope_queryset(
        actor,
        RequestLine.objects.filter(request__status__in=OPEN_STATUSES, item__isnull=False),
        area_field="request__area",
    )
    return {
        row["item__code"]: row["remaining"]
        for row in qs.values("item__code").annotate(
            remaining=Sum(F("quantity") - F("quantity_delivered"))
        )
    }


# --- added for shell


def request_actionable_list(
    *,
    actor: Actor,
    action: Action,
    status: Iterable[str],
    own_organisation: bool = False,
) -> QuerySet[Request]:
    """Requests in ``status`` on which ``actor`` may take ``action`` — the home page's
    "awaiting my action": in an area the actor's grant for ``action`` covers and, for an
    ``own_organisation`` step of a role that is not cross-organisation, of the actor's own
    organisation (the same rule as the workflow check). Most urgent deadline first."""
    qs = scope_queryset(
        actor,
        Request.objects.select_related("place", "facility", "area", "organisation"),
        area_field="area",
        organisation_field="organisation" if own_organisation else None,
        action=action,
    )
    return qs.filter(status__in=list(status)).order_by("needed_by", "created_at")


# --- added for places


def request_open_at(*, actor: Actor, place: Any = None, facility: Any = None) -> QuerySet[Request]:
    """Open requests from a facility, or made at a place (its facilities' included), that
    ``actor`` may see (the detail pages' "open requests" panel), soonest needed first."""
    qs = request_list(actor=actor, status=OPEN_STATUSES)
    if facility is not None:
        qs = qs.filter(facility=facility)
    if place is not None:
        qs = qs.filter(place=place)
    return qs.order_by("needed_by", "reference")


# --- added for dayplans


def planning_request_lines(*, actor: Actor, area: Any = None) -> QuerySet[RequestLine]:
    """The item lines of the dispatchable (approved, on their way) requests ``actor`` sees,
    for the planning input; ``area``: only requests whose site (facility or place) lies in
    that admin1 area. Ordered by request reference and line creation (deterministic)."""
    from django.db.models import Q

    from reliefops.needs.choices import DISPATCHABLE_STATUSES

    qs = scope_queryset(
        actor,
        RequestLine.objects.select_related(
            "request__facility__place", "request__place", "item", "request__area"
        ),
        area_field="request__area",
    ).filter(request__status__in=sorted(DISPATCHABLE_STATUSES), item__isnull=False)
    if area is not None:
        qs = qs.filter(
            Q(request__facility__place__admin1=area)
            | Q(request__facility__isnull=True, request__place__admin1=area)
        )
    return qs.order_by("request__reference", "created_at", "pk")


# --- added for commit


def request_lines_by_pk(pks: Iterable[Any]) -> dict[str, RequestLine]:
    """Request lines by primary key (as text), with their request and item: a plan's
    demands name their lines so."""
    lines = RequestLine.objects.select_related("request", "item").filter(pk__in=list(pks))
    return {str(line.pk): line for line in lines}


def request_lines_of(requests: Iterable[Request]) -> dict[Any, list[RequestLine]]:
    """The lines of ``requests`` (with their item) by request id, in one query: for a
    batch of thousands (an export) without a prefetch, which builds a queryset per request."""
    lines: dict[Any, list[RequestLine]] = {}
    ids = [request.pk for request in requests]
    for line in RequestLine.objects.select_related("item").filter(request_id__in=ids):
        lines.setdefault(line.request_id, []).append(line)
    return lines
