"""The one helper that decides between a full page and an HTMX fragment."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render as django_render


def render(
    request: HttpRequest,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    partial: str | None = None,
    status: int = 200,
) -> HttpResponse:
    """Render ``partial`` for HTMX requests (when given), ``template`` otherwise."""
    is_htmx = bool(getattr(request, "htmx", False))
    name = partial if (partial and is_htmx) else template
    return django_render(request, name, context or {}, status=status)
