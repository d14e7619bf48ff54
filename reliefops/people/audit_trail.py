"""The data-protection officer's audit trail: the audit events of every service, filtered
by person, user, action and period (:func:`audit_trail` is the selector the page, its CSV
and the API read; :class:`AuditTrailFilterSet` the filters they share).

A person is named by their pseudonymous reference: the trail holds the events whose
object is that person and those that mention the reference (a visit's, a referral's or a
round's event names the person by reference); the identity access log adds, for a person,
who saw their identity and why.
"""

from __future__ import annotations

import re
from typing import Any

import django_filters
from django.db.models import Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from reliefops.core.actions import Action
from reliefops.core.errors import Forbidden
from reliefops.core.lists import ListOrdering
from reliefops.core.models import AuditEvent
from reliefops.core.permissions import Actor, allowed_area_ids, require
from reliefops.people.models import Person

#: The CSV's columns, in order (the page's columns; the changes as JSON).
CSV_COLUMNS = ("at", "user", "action", "object_type", "object_id", "object", "before", "after")


def audit_trail(actor: Actor | None) -> QuerySet[AuditEvent]:
    """Every audit event, newest first, for the data-protection officer and administrators
    acting for the whole installation (``access_log.view`` everywhere): events have no area
    to scope them by, and hold pseudonymous identifiers only."""
    require(actor, Action.ACCESS_LOG_VIEW)
    if allowed_area_ids(actor, Action.ACCESS_LOG_VIEW) is not None:
        raise Forbidden(_("Only an officer acting for the whole installation reads the audit."))
    return AuditEvent.objects.select_related("actor").order_by("-at", "-id")


def audit_about_person(events: QuerySet[AuditEvent], reference: str) -> QuerySet[AuditEvent]:
    """The events whose object is the person with ``reference`` or that mention it."""
    reference = reference.strip()
    person_ids = [
        str(pk) for pk in Person.objects.filter(reference=reference).values_list("pk", flat=True)
    ]
    about = Q(object_type="people.person", object_id__in=person_ids) if person_ids else Q(pk=None)
    # the reference as a whole word (P-00001 is not mentioned by P-000012)
    word = rf"(^|[^A-Za-z0-9_-]){re.escape(reference)}($|[^A-Za-z0-9_-])"
    mentions = Q(object_repr__regex=word) | Q(after_text__regex=word) | Q(before_text__regex=word)
    return events.annotate(
        after_text=Cast("after", TextField()), before_text=Cast("before", TextField())
    ).filter(about | mentions)


class AuditTrailFilterSet(django_filters.FilterSet):
    """The audit trail: by person reference, user, action (a prefix: ``person.`` is every
    action on people), period."""

    person = django_filters.CharFilter(
        method="filter_person", max_length=16, label=_("Person reference")
    )
    user = django_filters.CharFilter(field_name="actor__username", max_length=150, label=_("User"))
    action = django_filters.CharFilter(
        field_name="action", lookup_expr="startswith", max_length=100, label=_("Action")
    )
    since = django_filters.DateFilter(field_name="at", lookup_expr="date__gte", label=_("From"))
    until = django_filters.DateFilter(field_name="at", lookup_expr="date__lte", label=_("Until"))
    o = ListOrdering(columns={"at": "at", "action": "action", "user": "actor__username"})

    class Meta:
        model = AuditEvent
        fields = ["person", "user", "action"]

    def filter_person(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return audit_about_person(queryset, value) if value.strip() else queryset
