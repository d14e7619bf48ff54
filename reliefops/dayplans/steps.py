"""The day-plan services the pages and the API call, found when first called (each module
is its own concern: ``runs``, ``edits``, ``commit``)."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.utils.translation import gettext as _

from reliefops.core.errors import Conflict


def service(module: str, name: str) -> Any:
    """``dayplans.services.<module>.<name>``; a 409 naming the step when this installation
    has no such service (never a 500)."""
    try:
        return getattr(import_module(f"reliefops.dayplans.services.{module}"), name)
    except (ImportError, AttributeError) as exc:
        raise Conflict(
            _("This step is not available in this installation."), code="step_unavailable"
        ) from exc


#: Workflow step → (service module, function) for the run page's buttons and the API.
STEP_SERVICES = {
    "cancel": ("runs", "plan_run_cancel"),
    "discard": ("edits", "plan_discard"),
    "commit": ("commit", "plan_commit"),
    "replan": ("commit", "plan_replan"),
}
