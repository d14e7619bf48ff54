"""The notices' pages: the list, the bell fragment, opening one, marking all read."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from reliefops.core.htmx import render
from reliefops.core.lists import list_page
from reliefops.core.sessions import passive
from reliefops.notices.choices import NoticeKind
from reliefops.notices.filtersets import NoticeFilterSet
from reliefops.notices.messages import notice_text
from reliefops.notices.selectors import notice_get, notice_list, notice_unread_count
from reliefops.notices.services import notice_read, notice_read_all


@login_required
@require_safe
def notice_list_view(request: HttpRequest) -> HttpResponse:
    """The user's notices, newest first, unread marked; filtered and paged (core.lists)."""
    lst = list_page(
        request,
        NoticeFilterSet,
        notice_list(actor=request.user),
        target="#notice-list",
        form_id="notice-filters",
    )
    rows = [(notice, notice_text(notice)) for notice in lst.rows]
    context = {
        "lst": lst,
        "values": lst.values,
        "rows": rows,
        "kinds": NoticeKind.choices,
        "unread": notice_unread_count(actor=request.user),
    }
    return render(
        request, "notices/notice_list.html", context, partial="notices/partials/notice_rows.html"
    )


@passive
@login_required
@require_safe
def notice_bell_view(request: HttpRequest) -> HttpResponse:
    """The bell with the unread count (the shell loads it and refreshes it every minute)."""
    context = {"notice_unread": notice_unread_count(actor=request.user)}
    return render(request, "notices/partials/bell.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def notice_open_view(request: HttpRequest, pk: str) -> HttpResponse:
    """Open a notice: it is marked read and the browser goes to its object."""
    notice = notice_read(actor=request.user, notice=notice_get(actor=request.user, pk=pk))
    if notice.link and url_has_allowed_host_and_scheme(
        notice.link, allowed_hosts=None, require_https=False
    ):
        return redirect(notice.link)
    return redirect("notices:notice_list")


@login_required
@require_POST
def notice_read_all_view(request: HttpRequest) -> HttpResponse:
    marked = notice_read_all(actor=request.user)
    messages.success(
        request,
        ngettext("%(count)d notice marked read.", "%(count)d notices marked read.", marked)
        % {"count": marked},
    )
    return redirect("notices:notice_list")
