"""Template context shared by every page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from reliefops.core.navigation import NAV
from reliefops.core.permissions import user_can, user_roles


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The navigation entries the user's roles allow, and the user menu's admin link.

    The admin link is offered to staff accounts only: Django's admin lets nobody else in.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "user_roles": set(), "admin_url": None}
    items = []
    current = request.path
    for item in NAV:
        if not user_can(user, item.action):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        matches = current == url or (url != "/" and current.startswith(url))
        items.append({"label": item.label, "url": url, "active": False, "match": matches})
    # The entry whose address is the longest prefix of the page is the current one
    # (/teams/hospitals/… is "Hospitals", not "Teams").
    best = max((i for i in items if i.pop("match")), key=lambda i: len(str(i["url"])), default=None)
    if best is not None:
        best["active"] = True
    admin_url = reverse("admin:index") if user.is_active and user.is_staff else None
    return {"nav_items": items, "user_roles": user_roles(user), "admin_url": admin_url}
