"""Reads of the request list page: the overdue mark and the filter choices."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.utils import timezone

from reliefops.core.permissions import Actor
from reliefops.needs.choices import TERMINAL_STATUSES
from reliefops.needs.models import Request
from reliefops.organisations.selectors import organisation_list
from reliefops.places.selectors import admin_area_list
from reliefops.stock.selectors import item_list

from .requests import request_list


def request_overdue_q(today: date | None = None) -> Q:
    """Requests whose ``needed_by`` has passed and that are still awaited."""
    return Q(needed_by__lt=today or timezone.localdate()) & ~Q(status__in=TERMINAL_STATUSES)


def request_is_overdue(request: Request, today: date | None = None) -> bool:
    """The same rule as :func:`request_overdue_q`, for one request in hand."""
    return request.needed_by < (today or timezone.localdate()) and (
        request.status not in TERMINAL_STATUSES
    )


def request_overdue_annotate(qs: QuerySet[Request], today: date | None = None) -> QuerySet[Request]:
    """``qs`` with ``is_overdue`` on every row."""
    return qs.annotate(
        is_overdue=Case(
            When(request_overdue_q(today), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def request_overdue_list(*, actor: Actor, today: date | None = None) -> QuerySet[Request]:
    """The actor's overdue requests (:func:`request_overdue_q`), most overdue first (the
    home page's work list)."""
    return (
        request_list(actor=actor)
        .filter(request_overdue_q(today))
        .order_by("needed_by", "created_at")
    )


def request_list_rows(*, actor: Actor) -> QuerySet[Request]:
    """The actor's requests as the list shows them: with ``is_overdue``."""
    return request_overdue_annotate(request_list(actor=actor))


@dataclass(frozen=True)
class RequestListChoices:
    areas: Any
    organisations: Any
    items: Any


def request_list_choices(*, actor: Actor) -> RequestListChoices:
    """What the request list's filters offer: the actor's areas, organisations, items."""
    return RequestListChoices(
        areas=admin_area_list(actor=actor, in_scope=True),
        organisations=organisation_list(actor=actor),
        items=item_list(actor=actor).filter(is_active=True).order_by("code"),
    )
