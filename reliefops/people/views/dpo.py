"""The data-protection officer's pages: the identity access log and the audit trail (each
with its CSV), the merges with their undo, a person's subject access download and erasure."""

from __future__ import annotations

import csv
import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reliefops.core.actions import Action
from reliefops.core.errors import NotFound
from reliefops.core.htmx import render
from reliefops.core.lists import list_page
from reliefops.core.permissions import require, user_can
from reliefops.core.queries import query_filter
from reliefops.people import services
from reliefops.people.audit_trail import CSV_COLUMNS as AUDIT_CSV_COLUMNS
from reliefops.people.audit_trail import AuditTrailFilterSet, audit_trail
from reliefops.people.choices import AccessPurpose, IdentityField
from reliefops.people.filtersets import IdentityAccessFilterSet
from reliefops.people.forms import EraseForm
from reliefops.people.selectors import identity_access_log, merge_list, person_lookup
from reliefops.people.views.common import gate, no_store
from reliefops.people.views.persons import _person_post

CSV_COLUMNS = ("at", "user", "person", "fields", "purpose", "reason")


def _log_rows(rows: Any) -> list[dict[str, Any]]:
    fields = dict(IdentityField.choices)
    purposes = dict(AccessPurpose.choices)
    return [
        {
            "entry": r,
            "fields": [fields.get(f, f) for f in r.fields or []],
            "purpose": purposes.get(r.purpose, r.purpose),
        }
        for r in rows
    ]


@login_required
def access_log_view(request: HttpRequest) -> HttpResponse:
    """Who revealed whose identity, when, which fields and why; ``?format=csv`` downloads
    the filtered log (references and usernames only)."""
    require(request.user, Action.ACCESS_LOG_VIEW)
    rows = identity_access_log(request.user)
    if request.GET.get("format") == "csv":
        return _access_log_csv(request, rows)
    lst = list_page(
        request, IdentityAccessFilterSet, rows, target="#access-list", form_id="access-filters"
    )
    return render(
        request,
        "people/access_log.html",
        {
            "lst": lst,
            "values": lst.values,
            "rows": _log_rows(lst.rows),
            "purposes": AccessPurpose.choices,
            "csv_query": lst.export_query("csv"),
        },
        partial="people/partials/access_rows.html",
    )


def _access_log_csv(request: HttpRequest, rows: Any) -> HttpResponse:
    filtered = query_filter(request, IdentityAccessFilterSet, rows).qs
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="identity-access-log.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for entry in filtered.iterator():
        writer.writerow(
            [
                entry.at.isoformat(),
                entry.user.username if entry.user else "",
                entry.person.reference,
                ";".join(entry.fields or []),
                entry.purpose,
                entry.reason,
            ]
        )
    return no_store(response)


@login_required
def merge_list_view(request: HttpRequest) -> HttpResponse:
    gate(request)
    return render(
        request,
        "people/merge_list.html",
        {
            "merges": list(merge_list(request.user)[:500]),
            "can_undo": user_can(request.user, Action.PERSON_UNMERGE),
        },
    )


@login_required
@require_POST
def merge_undo_view(request: HttpRequest, pk: Any) -> HttpResponse:
    require(request.user, Action.PERSON_UNMERGE)
    merge = merge_list(request.user).filter(pk=pk).first()
    if merge is None:
        raise NotFound(_("No such merge."))
    if request.POST.get("confirm") != "on":
        messages.error(request, _("Tick the box to confirm the undo."))
        return redirect("people:merge_list")
    services.merge_undo(actor=request.user, merge=merge)
    messages.success(
        request,
        _("Merge undone: %(dup)s is a record of its own again.") % {"dup": merge.duplicate},
    )
    return redirect("people:merge_list")


@login_required
@require_POST
def subject_access_view(request: HttpRequest, reference: str) -> HttpResponse:
    """The person's data as JSON (a logged subject access request)."""
    require(request.user, Action.PERSON_SUBJECT_ACCESS)
    person = person_lookup(request.user, reference)
    require(request.user, Action.PERSON_SUBJECT_ACCESS, area=person.area)
    data = services.subject_access_export(actor=request.user, person=person)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="subject-access-{person.reference}.json"'
    )
    return no_store(response)


@login_required
@require_POST
def person_erase_view(request: HttpRequest, reference: str) -> HttpResponse:
    """Erase a person's identity, after the reference is typed as confirmation."""
    require(request.user, Action.PERSON_ERASE)
    person = person_lookup(request.user, reference)
    require(request.user, Action.PERSON_ERASE, area=person.area)
    form, page = _person_post(request, person, EraseForm, "erase")
    if not form.is_valid():
        return page.render(request, status=400)
    services.person_erase(actor=request.user, person=person, reason=form.cleaned_data["reason"])
    messages.success(request, _("%(ref)s erased.") % {"ref": person.reference})
    return redirect("people:person_detail", reference=person.reference)


@login_required
def audit_trail_view(request: HttpRequest) -> HttpResponse:
    """Every service's audit events: filter by person reference, user, action prefix and
    period; ``?format=csv`` downloads exactly the filtered rows. For a person, the identity
    accesses (who saw their identity, and why) are shown beside."""
    events = audit_trail(request.user)
    if request.GET.get("format") == "csv":
        return _audit_trail_csv(request, events)
    lst = list_page(
        request, AuditTrailFilterSet, events, target="#audit-list", form_id="audit-filters"
    )
    reference = str(lst.values.get("person") or "").strip()
    accesses = identity_access_log(request.user).filter(person__reference=reference)[:50]
    return render(
        request,
        "people/audit_trail.html",
        {
            "lst": lst,
            "values": lst.values,
            "rows": [_event_row(e) for e in lst.rows],
            "reference": reference,
            "accesses": _log_rows(accesses) if reference else [],
            "csv_query": lst.export_query("csv"),
        },
        partial="people/partials/audit_rows.html",
    )


def _changes(data: Any) -> str:
    if not data:
        return ""
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True)


def _event_row(event: Any) -> dict[str, Any]:
    return {"event": event, "before": _changes(event.before), "after": _changes(event.after)}


def _audit_trail_csv(request: HttpRequest, events: Any) -> HttpResponse:
    filtered = query_filter(request, AuditTrailFilterSet, events).qs
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit-trail.csv"'
    writer = csv.writer(response)
    writer.writerow(AUDIT_CSV_COLUMNS)
    for event in filtered.iterator():
        writer.writerow(
            [
                event.at.isoformat(),
                event.actor.username if event.actor else "",
                event.action,
                event.object_type,
                event.object_id,
                event.object_repr,
                _changes(event.before),
                _changes(event.after),
            ]
        )
    return no_store(response)
