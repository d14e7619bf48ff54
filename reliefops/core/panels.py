"""Detail panels: sections that later apps add to an earlier app's detail page.

A place or facility page shows the open requests there and the stock held there, but
``places`` sits below ``needs`` and ``stock`` in the layers and may not import them. So the
page asks this registry instead, the way ``reliefops import`` asks the exchange registry:
each domain app may have a ``panels`` module that registers builders with
:func:`detail_panel`; :func:`detail_panels` imports ``<app>.panels`` of every app in
``settings.DOMAIN_APPS`` (by name: ``core`` names no domain app) and renders what they
return, in ``order``.

A builder takes the request and the object and returns a :class:`Panel` (a template, its
context and a title) or None (nothing to add). It reads through its own app's selectors,
which scope by ``request.user``: a panel never shows what the user may not see. Entities
are named by a string ("place", "facility"); a new page that wants panels passes its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Panel:
    """What a builder adds: ``template`` rendered with ``context`` under ``title``."""

    template: str
    context: dict[str, Any] = field(default_factory=dict)
    title: Any = ""


@dataclass(frozen=True)
class RenderedPanel:
    name: str
    title: Any
    html: SafeString


PanelBuilder = Callable[[HttpRequest, Any], Panel | None]

_REGISTRY: dict[str, list[tuple[int, str, PanelBuilder]]] = {}
_discovered = False


def detail_panel(entity: str, *, order: int = 100) -> Callable[[PanelBuilder], PanelBuilder]:
    """Register the decorated builder for the detail page of ``entity`` (lower first)."""

    def decorate(builder: PanelBuilder) -> PanelBuilder:
        name = f"{builder.__module__}.{builder.__qualname__}"
        entries = _REGISTRY.setdefault(entity, [])
        if all(n != name for _o, n, _b in entries):
            entries.append((order, name, builder))
            entries.sort(key=lambda e: (e[0], e[1]))
        return builder

    return decorate


def panels_discover() -> None:
    """Import ``<app>.panels`` of every domain app so their registrations run."""
    global _discovered
    if _discovered:
        return
    for dotted in settings.DOMAIN_APPS:
        name = f"{dotted}.panels"
        if find_spec(name) is not None:
            import_module(name)
    _discovered = True


def detail_panels(request: HttpRequest, entity: str, obj: Any) -> list[RenderedPanel]:
    """The panels later apps add to ``obj``'s page, rendered for ``request``."""
    panels_discover()
    rendered = []
    for _order, name, builder in _REGISTRY.get(entity, []):
        panel = builder(request, obj)
        if panel is None:
            continue
        html = render_to_string(panel.template, panel.context, request=request)
        rendered.append(RenderedPanel(name, panel.title, mark_safe(html)))  # noqa: S308
    return rendered
