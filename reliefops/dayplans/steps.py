"""The day-plan services the pages and the API call, found when first called (each module
is its own concern: ``runs``, ``edits``, ``commit``)."""

from __future__ import annotations

from importlib import import_module
from typing import Any


def service(module: str, name: str) -> Any:
    """``dayplans.services.<module>.<name>``."""
    return getattr(import_module(f"reliefops.dayplans.services.{module}"), name)


#: Workflow step → (service module, function) for the run page's buttons and the API.
STEP_SERVICES = {
    "cancel": ("runs", "plan_run_cancel"),
    "discard": ("edits", "plan_discard"),
    "commit": ("commit", "plan_commit"),
    "replan": ("commit", "plan_replan"),
}
