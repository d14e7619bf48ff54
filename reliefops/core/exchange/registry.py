"""The kind registry: each domain app's ``exchange`` module registers its kinds.

Discovery imports ``<app>.exchange`` for every app in ``settings.DOMAIN_APPS`` (by name,
the way the root URLconf finds each app's ``urls``), so ``core`` names no domain app.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from importlib.util import find_spec
from typing import TYPE_CHECKING, Any

from django.conf import settings

from reliefops.core.exchange.errors import UnknownKind

if TYPE_CHECKING:
    from reliefops.core.exchange.exporting import Exporter
    from reliefops.core.exchange.importing import Importer


@dataclass(frozen=True)
class Exchange:
    kind: str
    importer: type[Importer] | None
    exporter: type[Exporter] | None
    label: Any  # translatable (gettext_lazy); str() it outside a template


_REGISTRY: dict[str, Exchange] = {}
_discovered = False


def register(
    kind: str,
    *,
    importer: type[Importer] | None = None,
    exporter: type[Exporter] | None = None,
    label: Any = "",
) -> None:
    """Make ``kind`` available to ``reliefops import/export`` and the upload page."""
    if importer is None and exporter is None:
        raise ValueError("register() needs an importer, an exporter or both")
    _REGISTRY[kind] = Exchange(kind, importer, exporter, label or kind)


def registry_discover() -> None:
    """Import ``<app>.exchange`` of every domain app so their ``register`` calls run."""
    global _discovered
    if _discovered:
        return
    for dotted in settings.DOMAIN_APPS:
        name = f"{dotted}.exchange"
        if find_spec(name) is not None:
            import_module(name)
    _discovered = True


def registry_kinds() -> list[Exchange]:
    registry_discover()
    return [_REGISTRY[k] for k in sorted(_REGISTRY)]


def registry_get(kind: str) -> Exchange:
    registry_discover()
    if kind not in _REGISTRY:
        raise UnknownKind(kind=kind, known=sorted(_REGISTRY))
    return _REGISTRY[kind]
