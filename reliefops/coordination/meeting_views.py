"""Pages of meetings, decisions and action items (under /coordination/; contacts and
working groups: :mod:`.group_views`). Thin: forms parse, services write, errors take
the shared path."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from reliefops.coordination import meeting_selectors as sel
from reliefops.coordination import services
from reliefops.coordination.choices import ActionItemStatus, MeetingKind
from reliefops.coordination.meeting_filtersets import (
    ActionItemFilterSet,
    DecisionFilterSet,
    MeetingFilterSet,
)
from reliefops.coordination.meeting_forms import (
    ActionItemForm,
    ActionItemLinkForm,
    AgendaItemForm,
    AttachmentForm,
    DecisionForm,
    DecisionRequestForm,
    MeetingForm,
    StepForm,
)
from reliefops.core.actions import Action
from reliefops.core.errors import NotFound
from reliefops.core.htmx import render
from reliefops.core.lists import list_page
from reliefops.core.pages import form_invalid, form_page
from reliefops.core.permissions import require, user_can

# --------------------------------------------------------------------------- meetings


def _meeting_choices(request: HttpRequest) -> dict[str, Any]:
    actor = request.user
    return {
        "working_group": sel.working_group_list(actor=actor).filter(is_active=True),
        "organisation": sel.meeting_organisation_choices(actor=actor),
        "organisations": sel.participant_organisation_choices(actor=actor),
        "contacts": sel.contact_choices(actor=actor),
    }


@login_required
@require_safe
def meeting_list_view(request: HttpRequest) -> HttpResponse:
    lst = list_page(
        request,
        MeetingFilterSet,
        sel.meeting_list(actor=request.user),
        target="#meeting-list",
        export_kind="meetings",
        form_id="meeting-filters",
    )
    return render(
        request,
        "coordination/meeting_list.html",
        {
            "lst": lst,
            "values": lst.values,
            "kinds": MeetingKind.choices,
            "groups": sel.working_group_list(actor=request.user),
            "can_record": user_can(request.user, Action.MEETING_RECORD),
            "counts": sel.action_item_open_count(actor=request.user),
        },
        partial="coordination/partials/meeting_rows.html",
    )


@login_required
def meeting_create_view(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.MEETING_RECORD)
    form = MeetingForm(request.POST or None, choices=_meeting_choices(request))
    page = form_page(request, "coordination/meeting_form.html", {"form": form}, form=form)
    if request.method == "POST":
        if not form.is_valid():
            return page.render(request, status=400)
        meeting = services.meeting_create(actor=request.user, **form.service_data())
        messages.success(request, _("Meeting %(ref)s recorded.") % {"ref": meeting.reference})
        return redirect("coordination:meeting_detail", reference=meeting.reference)
    return page.render(request)


@login_required
def meeting_edit_view(request: HttpRequest, reference: str) -> HttpResponse:
    meeting = sel.meeting_get(actor=request.user, reference=reference)
    require(request.user, Action.MEETING_RECORD)
    initial = {
        "title": meeting.title,
        "kind": meeting.kind,
        "working_group": meeting.working_group,
        "organisation": meeting.organisation,
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "place": meeting.place.code,
        "organisations": list(meeting.organisations.all()),
        "contacts": list(meeting.contacts.all()),
        "minutes": meeting.minutes,
    }
    form = MeetingForm(
        request.POST or None, initial=initial, choices=_meeting_choices(request), editing=True
    )
    context = {"form": form, "meeting": meeting}
    page = form_page(request, "coordination/meeting_form.html", context, form=form)
    if request.method == "POST":
        if not form.is_valid():
            return page.render(request, status=400)
        services.meeting_update(actor=request.user, meeting=meeting, **form.service_data())
        messages.success(request, _("Meeting %(ref)s saved.") % {"ref": meeting.reference})
        return redirect("coordination:meeting_detail", reference=meeting.reference)
    return page.render(request)


def _action_choices(request: HttpRequest, meeting: Any) -> dict[str, Any]:
    return {
        "decision": sel.decision_list(actor=request.user).filter(agenda_item__meeting=meeting),
        "owner_organisation": sel.participant_organisation_choices(actor=request.user),
        "owner_contact": sel.contact_choices(actor=request.user),
    }


def _detail_context(
    request: HttpRequest, meeting: Any, for_decision: Any = None, **forms: Any
) -> dict[str, Any]:
    """The meeting page; the request form is shown under ``for_decision`` only (one form
    on the page, opened from the decision's "Turn into a request" link)."""
    actor = request.user
    can_record = user_can(
        actor, Action.MEETING_RECORD, area=meeting.area, organisation=meeting.organisation
    )
    can_request = user_can(actor, Action.REQUEST_SUBMIT)
    items = list(sel.meeting_action_items(meeting=meeting))
    shown = meeting.place.name
    return {
        "meeting": meeting,
        "place_names": sorted({n for n in meeting.place.names.values() if n and n != shown}),
        "agenda": list(meeting.agenda.all()),
        "action_items": [(item, sel.action_item_is_overdue(item)) for item in items],
        "attachments": list(meeting.attachments.all()),
        "can_record": can_record,
        "can_request": can_request and can_record,
        "agenda_form": forms.get("agenda_form") or AgendaItemForm(),
        "decision_form": forms.get("decision_form") or DecisionForm(agenda=meeting.agenda.all()),
        "action_form": forms.get("action_form")
        or ActionItemForm(choices=_action_choices(request, meeting)),
        "attachment_form": forms.get("attachment_form") or AttachmentForm(),
        "for_decision": for_decision,
        "request_form": forms.get("request_form")
        or (DecisionRequestForm(choices=sel.request_form_facilities(actor=actor))
            if can_request and for_decision is not None else None),
    }  # fmt: skip


@login_required
@require_safe
def meeting_detail_view(request: HttpRequest, reference: str) -> HttpResponse:
    meeting = sel.meeting_get(actor=request.user, reference=reference)
    wanted = request.GET.get("request_for", "")
    decision = (
        sel.decision_list(actor=request.user)
        .filter(agenda_item__meeting=meeting, reference=wanted)
        .first()
        if wanted
        else None
    )
    context = _detail_context(request, meeting, for_decision=decision)
    return render(request, "coordination/meeting_detail.html", context)


def _meeting_post(
    request: HttpRequest, reference: str, name: str, make: Any
) -> tuple[Any, Any, Any]:
    """(meeting, bound form, page) of a POST to one of the meeting page's forms."""
    meeting = sel.meeting_get(actor=request.user, reference=reference)
    require(request.user, Action.MEETING_RECORD)
    form = make(meeting)
    page = form_page(
        request,
        "coordination/meeting_detail.html",
        lambda: _detail_context(request, meeting, **{name: form}),
        form=form,
    )
    return meeting, form, page


@login_required
@require_POST
def agenda_add_view(request: HttpRequest, reference: str) -> HttpResponse:
    meeting, form, page = _meeting_post(
        request, reference, "agenda_form", lambda m: AgendaItemForm(request.POST)
    )
    if not form.is_valid():
        return page.render(request, status=400)
    services.agenda_item_add(actor=request.user, meeting=meeting, **form.cleaned_data)
    return redirect("coordination:meeting_detail", reference=reference)


@login_required
@require_POST
def decision_add_view(request: HttpRequest, reference: str) -> HttpResponse:
    _meeting, form, page = _meeting_post(
        request,
        reference,
        "decision_form",
        lambda m: DecisionForm(request.POST, agenda=m.agenda.all()),
    )
    if not form.is_valid():
        return page.render(request, status=400)
    decision = services.decision_record(
        actor=request.user,
        agenda_item=form.cleaned_data["agenda_item"],
        text=form.cleaned_data["text"],
    )
    messages.success(request, _("Decision %(ref)s recorded.") % {"ref": decision.reference})
    return redirect("coordination:meeting_detail", reference=reference)


@login_required
@require_POST
def action_add_view(request: HttpRequest, reference: str) -> HttpResponse:
    meeting, form, page = _meeting_post(
        request,
        reference,
        "action_form",
        lambda m: ActionItemForm(request.POST, choices=_action_choices(request, m)),
    )
    if not form.is_valid():
        return page.render(request, status=400)
    item = services.action_item_create(actor=request.user, meeting=meeting, **form.cleaned_data)
    messages.success(request, _("Action item %(ref)s recorded.") % {"ref": item.reference})
    return redirect("coordination:meeting_detail", reference=reference)


@login_required
@require_POST
def attachment_add_view(request: HttpRequest, reference: str) -> HttpResponse:
    meeting, form, page = _meeting_post(
        request,
        reference,
        "attachment_form",
        lambda m: AttachmentForm(request.POST, request.FILES),
    )
    if not form.is_valid():
        return page.render(request, status=400)
    services.meeting_attachment_add(
        actor=request.user, meeting=meeting, upload=form.cleaned_data["file"]
    )
    messages.success(request, _("File kept."))
    return redirect("coordination:meeting_detail", reference=reference)


@login_required
@require_safe
def attachment_view(request: HttpRequest, reference: str, pk: str) -> FileResponse:
    """A meeting's file, for those who see the meeting (as a download, never inline)."""
    attachment = sel.meeting_attachment_get(actor=request.user, reference=reference, pk=pk)
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=True,
        filename=attachment.name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --------------------------------------------------------------------------- decisions


@login_required
@require_safe
def decision_list_view(request: HttpRequest) -> HttpResponse:
    lst = list_page(
        request,
        DecisionFilterSet,
        sel.decision_list(actor=request.user),
        target="#decision-list",
        export_kind="decisions",
        form_id="decision-filters",
    )
    return render(
        request,
        "coordination/decision_list.html",
        {"lst": lst, "values": lst.values},
        partial="coordination/partials/decision_rows.html",
    )


@login_required
@require_POST
def decision_request_view(request: HttpRequest, reference: str) -> HttpResponse:
    """Turn a decision into a request (the needs checks apply; their warnings are asked)."""
    decision = sel.decision_get(actor=request.user, reference=reference)
    meeting = decision.agenda_item.meeting
    require(request.user, Action.REQUEST_SUBMIT)
    form = DecisionRequestForm(
        request.POST, choices=sel.request_form_facilities(actor=request.user)
    )
    page = form_page(
        request,
        "coordination/meeting_detail.html",
        lambda: _detail_context(request, meeting, for_decision=decision, request_form=form),
        form=form,
    )
    if not form.is_valid():
        return page.render(request, status=400)
    v = form.cleaned_data
    created = services.decision_request_create(
        actor=request.user,
        decision=decision,
        organisation=v["organisation"],
        facility=v["facility"],
        lines=[services.LineInput(quantity=v["quantity"], item=v["item"])],
        needed_from=v["needed_from"],
        needed_by=v["needed_by"],
        priority=v["priority"],
        confirm_duplicate=v["confirm_duplicate"],
        confirm_fuel=v["confirm_fuel"],
    )
    messages.success(
        request,
        _("Request %(req)s created from decision %(ref)s.")
        % {"req": created.reference, "ref": decision.reference},
    )
    return redirect("coordination:meeting_detail", reference=meeting.reference)


# --------------------------------------------------------------------------- action items


@login_required
@require_safe
def action_item_list_view(request: HttpRequest) -> HttpResponse:
    lst = list_page(
        request,
        ActionItemFilterSet,
        sel.action_item_list(actor=request.user),
        target="#action-item-list",
        export_kind="action-items",
        form_id="action-item-filters",
    )
    rows = [(item, sel.action_item_is_overdue(item)) for item in lst.rows]
    return render(
        request,
        "coordination/action_item_list.html",
        {"lst": lst, "rows": rows, "values": lst.values, "statuses": ActionItemStatus.choices},
        partial="coordination/partials/action_item_rows.html",
    )


def _item_context(request: HttpRequest, item: Any, **extra: Any) -> dict[str, Any]:
    actor = request.user
    steps = services.ACTION_ITEM_WORKFLOW.allowed(actor=actor, record=item)
    area, organisation = services.ACTION_ITEM_WORKFLOW.scope(item)
    return {
        "item": item,
        "overdue": sel.action_item_is_overdue(item),
        "steps": [(name, services.ACTION_ITEM_WORKFLOW.step(name)) for name in steps],
        "step_form": extra.get("step_form") or StepForm(),
        "links": sel.action_item_links(actor=actor, item=item),
        "can_link": user_can(
            actor, Action.ACTION_ITEM_UPDATE, area=area, organisation=organisation
        ),
        "link_form": extra.get("link_form") or _link_form(request, item, None),
    }


def _link_form(request: HttpRequest, item: Any, data: Any, *, unlink: bool = False) -> Any:
    if unlink:
        return ActionItemLinkForm(data, find=lambda k, r: sel.action_item_linked(item, k, r))
    return ActionItemLinkForm(
        data, find=lambda k, r: sel.action_item_link_target(request.user, k, r)
    )


@login_required
@require_safe
def action_item_detail_view(request: HttpRequest, reference: str) -> HttpResponse:
    item = sel.action_item_get(actor=request.user, reference=reference)
    return render(request, "coordination/action_item_detail.html", _item_context(request, item))


@login_required
@require_POST
def action_item_step_view(request: HttpRequest, reference: str, step: str) -> HttpResponse:
    item = sel.action_item_get(actor=request.user, reference=reference)
    if step not in services.ACTION_ITEM_WORKFLOW.transitions:
        raise NotFound(step=step)
    form = StepForm(request.POST)
    page = form_page(
        request,
        "coordination/action_item_detail.html",
        lambda: _item_context(request, item, step_form=form),
        form=form,
    )
    if not form.is_valid():
        return page.render(request, status=400)
    services.action_item_transition(
        actor=request.user, item=item, step=step, reason=form.cleaned_data["reason"]
    )
    messages.success(request, _("Action item %(ref)s updated.") % {"ref": item.reference})
    return redirect("coordination:action_item_detail", reference=reference)


def _link_post(request: HttpRequest, reference: str, *, unlink: bool) -> HttpResponse:
    item = sel.action_item_get(actor=request.user, reference=reference)
    require(request.user, Action.ACTION_ITEM_UPDATE)  # (the service checks the item's scope)
    form = _link_form(request, item, request.POST, unlink=unlink)
    page = form_page(
        request,
        "coordination/action_item_detail.html",
        lambda: _item_context(request, item, link_form=None if unlink else form),
        form=None if unlink else form,  # an unlink button has no field: the error goes atop
    )
    if not form.is_valid():
        if unlink:
            raise form_invalid(form)
        return page.render(request, status=400)
    write = services.action_item_unlink if unlink else services.action_item_link
    write(actor=request.user, item=item, **form.service_data())
    done = _("Link removed.") if unlink else _("Linked.")
    messages.success(request, done)
    return redirect("coordination:action_item_detail", reference=reference)


@login_required
@require_POST
def action_item_link_view(request: HttpRequest, reference: str) -> HttpResponse:
    """Link a request, convoy, day plan or visit the user may see, by its reference."""
    return _link_post(request, reference, unlink=False)


@login_required
@require_POST
def action_item_unlink_view(request: HttpRequest, reference: str) -> HttpResponse:
    return _link_post(request, reference, unlink=True)


URLPATTERNS: list[URLPattern] = [
    path("meetings/", meeting_list_view, name="meeting_list"),
    path("meetings/new/", meeting_create_view, name="meeting_create"),
    path("meetings/<str:reference>/", meeting_detail_view, name="meeting_detail"),
    path("meetings/<str:reference>/edit/", meeting_edit_view, name="meeting_edit"),
    path("meetings/<str:reference>/agenda/", agenda_add_view, name="agenda_add"),
    path("meetings/<str:reference>/decisions/", decision_add_view, name="decision_add"),
    path("meetings/<str:reference>/actions/", action_add_view, name="action_add"),
    path("meetings/<str:reference>/files/", attachment_add_view, name="attachment_add"),
    path("meetings/<str:reference>/files/<str:pk>/", attachment_view, name="attachment"),
    path("decisions/", decision_list_view, name="decision_list"),
    path("decisions/<str:reference>/request/", decision_request_view, name="decision_request"),
    path("action-items/", action_item_list_view, name="action_item_list"),
    path("action-items/<str:reference>/", action_item_detail_view, name="action_item_detail"),
    path(
        "action-items/<str:reference>/steps/<str:step>/",
        action_item_step_view,
        name="action_item_step",
    ),
    path("action-items/<str:reference>/link/", action_item_link_view, name="action_item_link"),
    path(
        "action-items/<str:reference>/unlink/", action_item_unlink_view, name="action_item_unlink"
    ),
]
