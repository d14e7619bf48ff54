"""Where a record is in its workflow, for field records that name the status they reach
(a round's ``completed``, a referral's ``admitted``) and may arrive late or twice: the
chain of steps from one status to another, and whether a status was passed through."""

from __future__ import annotations

from reliefops.core.workflow import Workflow


def workflow_path(workflow: Workflow, current: str, target: str) -> list[str] | None:
    """The shortest chain of steps of ``workflow`` from ``current`` to ``target`` ([] when
    they are the same; None when ``target`` cannot be reached)."""
    queue: list[tuple[str, list[str]]] = [(str(current), [])]
    seen = {str(current)}
    while queue:
        status, path = queue.pop(0)
        if status == str(target):
            return path
        for name, t in workflow.transitions.items():
            if status in t.sources and t.target not in seen:
                seen.add(t.target)
                queue.append((t.target, [*path, name]))
    return None


def workflow_passed(workflow: Workflow, current: str, target: str) -> bool:
    """Whether a record in ``current`` has reached or passed through ``target`` (a chain of
    steps leads from ``target`` to ``current``)."""
    return workflow_path(workflow, target, current) is not None
