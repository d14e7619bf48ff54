"""What the needs domain tells people (``reliefops.notices``).

* A request that enters a status whose next step a role must take notifies the users who
  may take that step in the request's area (``request_awaiting_notify``, called by the
  step services and by ``request_submit``, in their transaction).
* The daily reminder of requests past their needed-by date and still open (registered
  here, run by the beat task ``reliefops.notices.reminders_send``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.urls import reverse

from reliefops.core.actions import Action
from reliefops.core.permissions import UNSCOPED, Actor
from reliefops.needs.choices import OPEN_STATUSES, RequestStatus
from reliefops.needs.models import Request
from reliefops.notices.choices import NoticeKind
from reliefops.notices.selectors import notice_recipients
from reliefops.notices.services import Reminder, msgid, notify, reminder


def _place(request: Request) -> dict[str, Any]:
    where = request.facility or request.place
    names = dict(getattr(where, "names", None) or {})
    return {"names": names or {"en": getattr(where, "code", "") or request.reference}}


def _link(request: Request) -> str:
    return reverse("needs:request_detail", args=[request.pk])


def request_awaiting_notify(*, actor: Actor | None, request: Request, workflow: Any) -> None:
    """Tell whoever may take the request's next usual step (a primary step offered from
    its status: verify, approve, plan, dispatch, deliver) that it waits for them."""
    steps = [
        (name, t)
        for name, t in workflow.transitions.items()
        if request.status in t.sources and t.style == "primary" and t.offered
    ]
    if not steps:
        return
    area, organisation = workflow.scope(request)
    for name, t in steps:
        recipients = notice_recipients(
            t.action, area=area, organisation=organisation if t.own_organisation else UNSCOPED
        )
        notify(
            recipients,
            NoticeKind.REQUEST_AWAITING_STEP,
            {
                "reference": request.reference,
                "place": _place(request),
                "status": msgid(RequestStatus(request.status).label),
                "step": msgid(t.label),
                "step_name": name,
            },
            _link(request),
            request.reference,
            actor=actor,
        )


@reminder(NoticeKind.REQUEST_OVERDUE)
def requests_overdue(day: dt.date) -> Iterator[Reminder]:
    """Open requests whose needed-by date has passed: to those who may submit for the
    requesting organisation in the request's area (its own users and the coordinators),
    and to whoever recorded it."""
    overdue = (
        Request.objects.filter(status__in=OPEN_STATUSES, needed_by__lt=day)
        .select_related("facility", "place", "area", "organisation", "created_by")
        .order_by("needed_by", "reference")
    )
    for request in overdue.iterator(chunk_size=200):
        recipients = [
            *notice_recipients(
                Action.REQUEST_SUBMIT, area=request.area, organisation=request.organisation
            ),
            request.created_by,
        ]
        yield Reminder(
            recipients=recipients,
            params={
                "reference": request.reference,
                "place": _place(request),
                "needed_by": request.needed_by.isoformat() if request.needed_by else "",
                "status": msgid(RequestStatus(request.status).label),
            },
            link=_link(request),
            reference=request.reference,
        )
