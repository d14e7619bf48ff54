"""Background jobs of the teams domain (thin: the cache module does the work)."""

from __future__ import annotations

from celery import shared_task

from reliefops.teams.due_store import due_store_refresh


@shared_task(name="reliefops.teams.due_store_refresh")
def due_store_refresh_task() -> int:
    """Rebuild every stored due date (beat: nightly, ``RELIEFOPS_DUE_REFRESH_HOUR``): a
    coverage rule's age condition moves with the calendar. Returns the people stored."""
    return due_store_refresh()
