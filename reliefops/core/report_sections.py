"""Report sections: what the dashboard and the situation report show, one registry.

A section is a builder ``(actor, day) -> SectionData`` registered under a key with
:func:`report_section`. The dashboard page, its JSON API and the situation report (md,
html, pdf) all render the same :class:`SectionData`, so their figures are equal for the
same day and user. Each domain app may have a ``report_sections`` module;
:func:`report_sections_discover` imports it for every app in ``settings.DOMAIN_APPS`` (by
name: ``core`` names no domain app), the way detail panels are found (``core/panels.py``).

A builder reads through its own app's selectors, which scope by ``actor``: a section
never shows what the user may not see. A section registered with ``fallback=True`` holds a
place until an app registers the same key for real (the decisions and action items of
``coordination``: "none recorded" until then).

Counts derived from personal data go through ``core.privacy.suppress`` in the builder
(``Figure.personal``), so every output shows ``<5`` alike.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils import formats
from django.utils.translation import get_language

from reliefops.core.privacy import SUPPRESSED_LABEL, suppress

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Figure:
    """One key figure: ``value`` is a number (or None when suppressed / unknown);
    ``personal``: derived from personal data (suppressed below 5)."""

    key: str
    label: Any
    value: float | int | None
    unit: Any = ""
    personal: bool = False
    alert: bool = False

    @property
    def shown_value(self) -> float | int | None:
        if self.personal and isinstance(self.value, int):
            return suppress(self.value)
        return self.value

    @property
    def text(self) -> str:
        value = self.shown_value
        if value is None:
            return SUPPRESSED_LABEL if self.personal and self.value is not None else "–"
        if isinstance(value, float):
            if value == float("inf"):
                return "∞"
            return formats.number_format(value, decimal_pos=1, force_grouping=True)
        return formats.number_format(value, force_grouping=True)


@dataclass(frozen=True)
class Table:
    """A table of figures (a chart's numbers, a list): ``alerts`` marks rows in red."""

    caption: Any
    headers: list[Any]
    rows: list[list[Any]]
    alerts: list[bool] = field(default_factory=list)

    def row_alert(self, index: int) -> bool:
        return index < len(self.alerts) and self.alerts[index]

    @property
    def marked_rows(self) -> list[tuple[list[Any], bool]]:
        """(row, in red) pairs, for templates."""
        return [(row, self.row_alert(i)) for i, row in enumerate(self.rows)]


@dataclass(frozen=True)
class Chart:
    """A bar or line chart: ``series`` maps a label to one value per ``labels`` entry.
    Its numbers are always also in ``table`` (accessible, and the same in every output)."""

    key: str
    title: Any
    kind: str  # "bar" | "line" | "hbar"
    labels: list[str]
    series: dict[str, Sequence[float]]
    table: Table


@dataclass(frozen=True)
class SectionData:
    """What one section shows on one day: figures, charts, tables, notes."""

    key: str
    title: Any
    source: Any = ""
    as_of: dt.date | None = None
    figures: list[Figure] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    notes: list[Any] = field(default_factory=list)
    empty: Any = ""
    layers: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.figures or self.charts or self.tables)


SectionBuilder = Callable[[Any, dt.date], SectionData | None]


@dataclass(frozen=True)
class SectionEntry:
    key: str
    order: int
    builder: SectionBuilder
    fallback: bool
    sitrep: bool
    dashboard: bool


_REGISTRY: dict[str, list[SectionEntry]] = {}
_discovered = False


def report_section(
    key: str,
    *,
    order: int = 100,
    fallback: bool = False,
    sitrep: bool = True,
    dashboard: bool = True,
) -> Callable[[SectionBuilder], SectionBuilder]:
    """Register the decorated builder as section ``key`` (lower ``order`` first).
    ``sitrep``/``dashboard``: where it appears. A ``fallback`` is used only while no other
    builder has the key."""

    def decorate(builder: SectionBuilder) -> SectionBuilder:
        entries = _REGISTRY.setdefault(key, [])
        name = f"{builder.__module__}.{builder.__qualname__}"
        if all(f"{e.builder.__module__}.{e.builder.__qualname__}" != name for e in entries):
            entries.append(SectionEntry(key, order, builder, fallback, sitrep, dashboard))
        return builder

    return decorate


def report_sections_discover() -> None:
    """Import ``<app>.report_sections`` of every domain app so their registrations run."""
    global _discovered
    if _discovered:
        return
    for dotted in settings.DOMAIN_APPS:
        name = f"{dotted}.report_sections"
        if find_spec(name) is not None:
            import_module(name)
    _discovered = True


def report_section_entries(*, where: str) -> list[SectionEntry]:
    """The sections of ``where`` ("dashboard" or "sitrep") in order: per key the real
    builder, else its fallback."""
    report_sections_discover()
    chosen = []
    for entries in _REGISTRY.values():
        real = [e for e in entries if not e.fallback] or entries
        entry = real[-1]
        if getattr(entry, where):
            chosen.append(entry)
    return sorted(chosen, key=lambda e: (e.order, e.key))


def report_sections_build(actor: Any, day: dt.date, *, where: str) -> list[SectionData]:
    """Every section of ``where`` built for ``actor`` on ``day`` (None results left out).

    A section is cached under its key, the day, the language and the actor's *scope* (a
    fingerprint of their grants), so users who see the same see one computation: a
    national registry's figures cost a fraction of a second to build, and a dashboard is
    looked at far more often than it changes. A section is fresh for
    ``RELIEFOPS_REPORT_CACHE_SECONDS`` (60; 0: no cache). After that, with a cache the
    workers share (``RELIEFOPS_CACHE_URL``), it is still shown while a background job
    builds it again (stale while revalidating, one job per section and scope at a time),
    so no page waits for the rebuild. Older than ``RELIEFOPS_REPORT_CACHE_STALE_SECONDS``
    (600), where jobs run inline (the embedded default) or where the cache is the
    process's own, the page builds it. A cache that fails (a Redis that is down) is
    skipped: the section is built."""
    seconds = int(getattr(settings, "RELIEFOPS_REPORT_CACHE_SECONDS", 0) or 0)
    scope = _scope_fingerprint(actor) if seconds > 0 else ""
    entries = report_section_entries(where=where)
    if seconds <= 0:
        results = [entry.builder(actor, day) for entry in entries]
    else:
        results, stale = [], []
        for index, entry in enumerate(entries):
            data, key, is_stale = _section_cached(entry, actor, day, scope, seconds)
            results.append(data)
            if is_stale:
                stale.append((index, entry, key))
        # one job rebuilds every stale section of the page; where none can be sent, the
        # page builds them
        if stale and not _refresh_later(
            [(_builder_name(e), key) for _i, e, key in stale], actor, day, scope
        ):
            for index, entry, key in stale:
                results[index] = _section_store(key, entry.builder(actor, day), seconds)
    return [data for data in results if data is not None]


_MISSING = object()


def _scope_fingerprint(actor: Any) -> str:
    """What decides what ``actor`` may see: their grants (role, organisation, areas)."""
    from reliefops.core.permissions import grants

    parts = sorted(
        (
            g.role,
            "*" if g.cross_organisation else str(g.organisation_id),  # any organisation
            sorted(str(a) for a in g.actions),
            None if g.area_ids is None else sorted(str(a) for a in g.area_ids),
            g.cross_organisation,
        )
        for g in grants(actor)
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def _builder_name(entry: SectionEntry) -> str:
    return f"{entry.builder.__module__}.{entry.builder.__qualname__}"


def _section_key(name: str, day: dt.date, language: str, scope: str) -> str:
    return f"reliefops:section:v2:{name}:{day.isoformat()}:{language}:{scope}"


def _stale_seconds(seconds: int) -> int:
    return max(int(getattr(settings, "RELIEFOPS_REPORT_CACHE_STALE_SECONDS", 600) or 0), seconds)


def _section_cached(
    entry: SectionEntry, actor: Any, day: dt.date, scope: str, seconds: int
) -> tuple[SectionData | None, str, bool]:
    """The section (built now when it is not cached), its key, and whether the copy shown
    is stale (past ``seconds``: to be rebuilt)."""
    import time

    key = _section_key(_builder_name(entry), day, get_language() or "", scope)
    try:
        found = cache.get(key, _MISSING)
    except Exception:  # a cache that is down must not take the page down
        logger.warning("report cache unavailable; building %s", entry.key, exc_info=True)
        return entry.builder(actor, day), key, False
    if found is _MISSING:
        return _section_store(key, entry.builder(actor, day), seconds), key, False
    built_at, data = found
    return data, key, time.time() - built_at > seconds


def _section_store(key: str, data: SectionData | None, seconds: int) -> SectionData | None:
    import time

    try:
        cache.set(key, (time.time(), data), _stale_seconds(seconds))
    except Exception:  # (the same)
        logger.warning("report cache unavailable; %s not kept", key, exc_info=True)
    return data


def _cache_shared() -> bool:
    """Does the cache reach the workers (Redis, ``RELIEFOPS_CACHE_URL``)? A process's own
    memory does not: what a worker builds there no page would see."""
    backend = str(settings.CACHES.get("default", {}).get("BACKEND", ""))
    return not backend.endswith(("LocMemCache", "DummyCache"))


def _refresh_later(sections: list[tuple[str, str]], actor: Any, day: dt.date, scope: str) -> bool:
    """Have one background job build ``sections`` (builder name, key) again, the stale
    copies shown meanwhile; False when they must be built now (jobs run inline, the cache
    is the process's own, the broker refuses)."""
    from reliefops.core.jobs import broker_inline, job_send
    from reliefops.core.permissions import actor_limit
    from reliefops.core.tasks import report_section_refresh

    if broker_inline() or not _cache_shared() or getattr(actor, "pk", None) is None:
        return False
    lock = _refresh_lock(day, get_language() or "", scope)
    try:
        if not cache.add(lock, 1, 120):
            return True  # a job is on it already
    except Exception:
        return False
    limit = actor_limit(actor)
    args = (
        [list(pair) for pair in sections],
        actor.pk,
        day.isoformat(),
        get_language() or "",
        None if limit is None else [str(limit.organisation_id), limit.read_only],
    )

    def refused(_reason: str) -> None:
        cache.delete(lock)

    return job_send(
        lambda: report_section_refresh.delay(*args), refused=refused, what="report sections"
    )


def _refresh_lock(day: dt.date, language: str, scope: str) -> str:
    return f"reliefops:section-refresh:{day.isoformat()}:{language}:{scope}"


def report_section_refresh_run(
    sections: list[list[str]], user_pk: Any, day: str, language: str, limit: list[Any] | None
) -> int:
    """Build ``sections`` ([builder name, key]) for the user (as limited by their token)
    and store them — only those whose key is still the user's scope (a membership changed
    since: nothing is stored, the next page builds it). The background job of
    :func:`_refresh_later`; returns how many were stored."""
    from django.apps import apps
    from django.contrib.auth import get_user_model
    from django.utils import translation

    from reliefops.core.permissions import ActorLimit, limit_actor

    when = dt.date.fromisoformat(day)
    stored = 0
    try:
        user = get_user_model().objects.get(pk=user_pk, is_active=True)
        if limit is not None:  # a scoped API token's: its organisation only
            organisation = apps.get_model("organisations", "Organisation")._meta.pk
            limit_actor(
                user,
                ActorLimit(
                    organisation_id=organisation.to_python(limit[0]),  # type: ignore[union-attr]
                    read_only=bool(limit[1]),
                ),
            )
        seconds = int(getattr(settings, "RELIEFOPS_REPORT_CACHE_SECONDS", 0) or 0)
        scope = _scope_fingerprint(user)
        builders = {_builder_name(e): e for entries in _REGISTRY.values() for e in entries}
        with translation.override(language or None):
            for name, key in sections:
                entry = builders.get(name)
                if entry is None or seconds <= 0:
                    continue
                if key != _section_key(name, when, language, scope):
                    continue
                _section_store(key, entry.builder(user, when), seconds)
                stored += 1
        return stored
    finally:
        cache.delete(_refresh_lock(when, language, _scope_of_keys(sections)))


def _scope_of_keys(sections: list[list[str]]) -> str:
    """The scope the keys were made for (the last part of a section key)."""
    return sections[0][1].rsplit(":", 1)[-1] if sections else ""
