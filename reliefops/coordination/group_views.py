"""Pages of the contacts directory and the coordination bodies (under /coordination/):
lists, details, new and edit forms. Thin: forms parse, services write, errors take the
shared path (``form_page``)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from reliefops.coordination import meeting_selectors as sel
from reliefops.coordination import services
from reliefops.coordination.meeting_filtersets import ContactFilterSet, WorkingGroupFilterSet
from reliefops.coordination.meeting_forms import ContactForm, WorkingGroupForm
from reliefops.core.actions import Action
from reliefops.core.errors import Forbidden
from reliefops.core.htmx import render
from reliefops.core.lists import list_page
from reliefops.core.pages import form_page
from reliefops.core.permissions import require, user_can
from reliefops.people.choices import SpokenLanguage

# --------------------------------------------------------------------------- contacts


def _contact_choices(request: HttpRequest) -> dict[str, Any]:
    return {
        "organisation": sel.contact_organisation_choices(actor=request.user),
        "areas": sel.contact_area_choices(actor=request.user),
        "working_groups": sel.working_group_list(actor=request.user),
    }


@login_required
@require_safe
def contact_list_view(request: HttpRequest) -> HttpResponse:
    lst = list_page(
        request,
        ContactFilterSet,
        sel.contact_list(actor=request.user),
        target="#contact-list",
        form_id="contact-filters",
    )
    return render(
        request,
        "coordination/contact_list.html",
        {
            "lst": lst,
            "values": lst.values,
            "languages": SpokenLanguage.choices,
            "can_manage": user_can(request.user, Action.CONTACT_MANAGE),
        },
        partial="coordination/partials/contact_rows.html",
    )


def _contact_data(form: ContactForm) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    data["areas"] = list(data["areas"])
    data["working_groups"] = list(data["working_groups"])
    return data


@login_required
def contact_create_view(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.CONTACT_MANAGE)
    form = ContactForm(request.POST or None, choices=_contact_choices(request))
    page = form_page(request, "coordination/contact_form.html", {"form": form}, form=form)
    if request.method == "POST":
        if not form.is_valid():
            return page.render(request, status=400)
        contact = services.contact_create(actor=request.user, **_contact_data(form))
        messages.success(request, _("Contact %(name)s recorded.") % {"name": contact.name})
        return redirect("coordination:contact_detail", pk=contact.pk)
    return page.render(request)


@login_required
def contact_edit_view(request: HttpRequest, pk: str) -> HttpResponse:
    """Change a contact. The phone and e-mail are never shown here: a blank field keeps
    the stored value (``contact_update`` takes ``None`` as "unchanged")."""
    contact = sel.contact_get(actor=request.user, pk=pk)
    require(request.user, Action.CONTACT_MANAGE)
    if not sel.contact_may_edit(request.user, contact):
        raise Forbidden()  # not for this contact's organisation or in all its areas
    initial = {
        "name": contact.name,
        "organisation": contact.organisation,
        "title": contact.title,
        "languages": list(contact.languages),
        "areas": list(contact.areas.all()),
        "working_groups": list(contact.working_groups.all()),
        "is_active": contact.is_active,
    }
    form = ContactForm(
        request.POST or None, initial=initial, choices=_contact_choices(request), editing=True
    )
    context = {"form": form, "contact": contact}
    page = form_page(request, "coordination/contact_form.html", context, form=form)
    if request.method == "POST":
        if not form.is_valid():
            return page.render(request, status=400)
        data = _contact_data(form)
        data["phone"] = data["phone"] or None  # blank: keep the stored phone
        data["email"] = data["email"] or None
        services.contact_update(actor=request.user, contact=contact, **data)
        messages.success(request, _("Contact %(name)s saved.") % {"name": data["name"]})
        return redirect("coordination:contact_detail", pk=contact.pk)
    return page.render(request)


@login_required
def contact_detail_view(request: HttpRequest, pk: str) -> HttpResponse:
    """A contact; a POST shows the phone and e-mail to those who may see them (logged)."""
    contact = sel.contact_get(actor=request.user, pk=pk)
    details = None
    if request.method == "POST":
        details = services.contact_details_reveal(actor=request.user, contact=contact)
    return render(
        request,
        "coordination/contact_detail.html",
        {
            "contact": contact,
            "details": details,
            "may_see_details": sel.contact_may_see_details(request.user, contact),
            "may_edit": sel.contact_may_edit(request.user, contact),
            "languages": dict(SpokenLanguage.choices),
            "meetings": sel.meeting_list(actor=request.user).filter(contacts=contact)[:20],
        },
    )


# --------------------------------------------------------------------------- working groups


@login_required
@require_safe
def working_group_list_view(request: HttpRequest) -> HttpResponse:
    lst = list_page(
        request,
        WorkingGroupFilterSet,
        sel.working_group_list(actor=request.user),
        target="#working-group-list",
        form_id="working-group-filters",
    )
    return render(
        request,
        "coordination/working_group_list.html",
        {
            "lst": lst,
            "values": lst.values,
            "can_manage": user_can(request.user, Action.WORKING_GROUP_MANAGE),
        },
        partial="coordination/partials/working_group_rows.html",
    )


def _group_choices(request: HttpRequest, group: Any = None) -> dict[str, Any]:
    orgs = sel.participant_organisation_choices(actor=request.user)
    parents = sel.headquarters_choices(actor=request.user)
    return {
        "parent": parents if group is None else parents.exclude(pk=group.pk),
        "lead_organisation": orgs,
        "co_lead_organisation": orgs,
        "members": orgs,
        "areas": sel.contact_area_choices(actor=request.user),
    }


def _group_data(form: WorkingGroupForm) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    data["members"] = list(data["members"])
    data["areas"] = list(data["areas"])
    return data


@login_required
def working_group_create_view(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.WORKING_GROUP_MANAGE)
    form = WorkingGroupForm(request.POST or None, choices=_group_choices(request))
    page = form_page(request, "coordination/working_group_form.html", {"form": form}, form=form)
    if request.method == "POST":
        if not form.is_valid():
            return page.render(request, status=400)
        group = services.working_group_create(actor=request.user, **_group_data(form))
        messages.success(request, _("Working group %(code)s recorded.") % {"code": group.code})
        return redirect("coordination:working_group_detail", code=group.code)
    return page.render(request)


@login_required
def working_group_edit_view(request: HttpRequest, code: str) -> HttpResponse:
    """Change a coordination body (its code stays: other records and URLs name it)."""
    group = sel.working_group_get(actor=request.user, code=code)
    require(request.user, Action.WORKING_GROUP_MANAGE)
    initial = {
        "name": group.name,
        "kind": group.kind,
        "sector": group.sector,
        "parent": group.parent,
        "lead_organisation": group.lead_organisation,
        "co_lead_organisation": group.co_lead_organisation,
        "members": list(group.members.all()),
        "areas": list(group.areas.all()),
        "is_active": group.is_active,
    }
    form = WorkingGroupForm(
        request.POST or None,
        initial=initial,
        choices=_group_choices(request, group),
        editing=True,
    )
    context = {"form": form, "group": group}
    page = form_page(request, "coordination/working_group_form.html", context, form=form)
    if request.method == "POST":
        if not form.is_valid():
            return page.render(request, status=400)
        services.working_group_update(actor=request.user, group=group, **_group_data(form))
        messages.success(request, _("Working group %(code)s saved.") % {"code": group.code})
        return redirect("coordination:working_group_detail", code=group.code)
    return page.render(request)


@login_required
@require_safe
def working_group_detail_view(request: HttpRequest, code: str) -> HttpResponse:
    group = sel.working_group_get(actor=request.user, code=code)
    return render(
        request,
        "coordination/working_group_detail.html",
        {
            "group": group,
            "groups": list(group.groups.all()),
            "meetings": sel.meeting_list(actor=request.user).filter(working_group=group)[:20],
            "contacts": sel.contact_list(actor=request.user).filter(working_groups=group),
            "may_edit": user_can(request.user, Action.WORKING_GROUP_MANAGE),
        },
    )


URLPATTERNS: list[URLPattern] = [
    path("contacts/", contact_list_view, name="contact_list"),
    path("contacts/new/", contact_create_view, name="contact_create"),
    path("contacts/<str:pk>/", contact_detail_view, name="contact_detail"),
    path("contacts/<str:pk>/edit/", contact_edit_view, name="contact_edit"),
    path("working-groups/", working_group_list_view, name="working_group_list"),
    path("working-groups/new/", working_group_create_view, name="working_group_create"),
    path("working-groups/<str:code>/", working_group_detail_view, name="working_group_detail"),
    path("working-groups/<str:code>/edit/", working_group_edit_view, name="working_group_edit"),
]
