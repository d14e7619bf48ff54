"""The page of form links: each form, its webhook address, what it received, its refusals."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from reliefops.core.htmx import render
from reliefops.intake.kobo.selectors import form_instance_recent, form_link_list


@login_required
def form_link_list_view(request: HttpRequest) -> HttpResponse:
    links = list(form_link_list(actor=request.user))
    recent = form_instance_recent(actor=request.user, links=links)
    rows = [
        {
            "link": link,
            "url": request.build_absolute_uri(
                reverse("api:kobo_submission", kwargs={"key": link.key})
            ),
            "instances": recent.get(link.pk, []),
            "refusals": (link.recent_refusals or [])[:5],
        }
        for link in links
    ]
    return render(request, "intake/kobo/form_links.html", {"rows": rows})
