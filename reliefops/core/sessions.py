"""Session timeouts: a signed-in session ends after ``SESSION_IDLE_TIMEOUT`` without
activity and ``SESSION_ABSOLUTE_TIMEOUT`` after sign-in, whatever the activity.

Requests a page makes by itself (the notices bell, progress bars polling every second)
are not activity: a tab left open would otherwise keep its session alive for ever. Such
views are marked with :func:`passive`; the middleware reads the mark.

An ended session is signed out and the request goes on anonymous, so the one path for
anonymous requests answers it: pages redirect to the sign-in page (which says why), the
API answers 401/403 with its JSON error body, and an HTMX request is told to load the
sign-in page (``HX-Redirect``) instead of swapping it into a fragment.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

STARTED = "reliefops_session_started"
SEEN = "reliefops_session_seen"
#: Activity is written to the session at most this often (seconds): not on every request.
SEEN_RESOLUTION = 60

View = TypeVar("View", bound=Callable[..., Any])


def passive(view: View) -> View:
    """Mark a view that pages poll: its HTMX requests (the page asking by itself) are not
    activity; loading it as a page still is."""
    view.session_passive = True  # type: ignore[attr-defined]
    return view


@receiver(user_logged_in)
def _session_start(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    session = getattr(request, "session", None)
    if session is not None:
        now = int(time.time())
        session[STARTED] = session[SEEN] = now


def session_ended(session: Any, now: float) -> str | None:
    """Why this signed-in session has ended at ``now``, or None while it may go on."""
    idle = int(settings.SESSION_IDLE_TIMEOUT.total_seconds())
    absolute = int(settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds())
    started, seen = session.get(STARTED), session.get(SEEN)
    if started is not None and now - started > absolute:
        hours = absolute // 3600
        return _("You were signed out %(hours)s hours after signing in. Please sign in again.") % {
            "hours": hours
        }
    if seen is not None and now - seen > idle:
        minutes = idle // 60
        return _(
            "You were signed out after %(minutes)s minutes without activity. Please sign in again."
        ) % {"minutes": minutes}
    return None


class SessionTimeoutMiddleware:
    """End idle and too-old sessions (after ``AuthenticationMiddleware``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: Any,
        view_kwargs: Any,
    ) -> HttpResponse | None:
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if user is None or session is None or not user.is_authenticated:
            return None
        now = time.time()
        why = session_ended(session, now)
        if why is not None:
            logout(request)
            messages.warning(request, why)
            if request.headers.get("HX-Request"):
                return HttpResponse(status=204, headers={"HX-Redirect": reverse("login")})
            return None  # anonymous from here: the view's own refusal answers
        if STARTED not in session:  # a session from before timeouts were kept
            session[STARTED] = int(now)
        passive_request = getattr(view_func, "session_passive", False) and bool(
            request.headers.get("HX-Request")
        )
        if (
            not passive_request and now - session.get(SEEN, 0) >= SEEN_RESOLUTION
        ) or SEEN not in session:
            session[SEEN] = int(now)
        return None
