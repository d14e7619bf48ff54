"""One workflow mechanism: a transition table per entity and ONE check for every step.

An entity declares its workflow once (requests in ``needs.services.requests``, pledges in
``stock.services.pledges``; convoys, rounds and plans the same way)::

    PLEDGE_WORKFLOW = Workflow(
        name="pledge",
        states=PledgeStatus,
        initial={PledgeStatus.PLEDGED, PledgeStatus.IN_TRANSIT},
        scope=lambda pledge: (warehouse_area(pledge), pledge.donor),
        transitions={
            "ship": Transition({PLEDGED}, IN_TRANSIT, Action.PLEDGE_EDIT, _("Ship"),
                               own_organisation=True),
            "receive": Transition({PLEDGED, IN_TRANSIT}, RECEIVED, Action.STOCK_RECEIVE,
                                  _("Receive"), service_only=_("… needs a stock receipt")),
            ...
        },
    )

:meth:`Workflow.check` is the check — permission (through
:func:`reliefops.core.permissions.require_write` in the record's scope), current state,
reason, the step's guards — and every path calls it: the step services of a single
record, and bulk imports that set a status (``to=`` finds the step from the current status
to the requested one; ``bulk=True`` refuses a ``service_only`` step, whose service does
more than set a status, such as posting stock). :meth:`Workflow.check_new` lets an import
create a record directly in a later status only along steps the actor could take one by
one. The table also answers "state → allowed next states" (:meth:`Workflow.next_states`)
and "which steps may this user take now" (:meth:`Workflow.allowed`, for buttons).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import TextChoices
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from reliefops.core.actions import Action
from reliefops.core.errors import Conflict, InvalidInput
from reliefops.core.permissions import (
    UNSCOPED,
    Actor,
    Area,
    Organisation,
    can_write,
    require_write,
)

Text = str | Promise
#: A guard looks at the record and raises an ApplicationError when the step may not be
#: taken now (for a reason the table cannot express: "every line delivered").
Guard = Callable[[Any], None]


class InvalidTransition(Conflict):
    code = "invalid_transition"
    default_message = _("This step is not possible in the current status.")


class ReasonRequired(InvalidInput):
    code = "reason_required"
    default_message = _("Give a reason.")


class UnknownStep(InvalidInput):
    code = "unknown_step"
    default_message = _("There is no such step.")


#: How a step's button looks: the usual next step, a side step, a destructive one.
STYLES = ("primary", "secondary", "danger")

INVALID_STEP = _("The step “%(step)s” is not possible for a %(status)s record.")


@dataclass(frozen=True)
class Transition:
    """One step: from any of ``sources`` to ``target``, allowed by ``action``.

    ``own_organisation``: the organisation rule applies (the actor must act for the
    record's organisation unless the role is cross-organisation). ``service_only``: the
    reason why only the step's own service may take it (it also writes something else);
    bulk status changes are refused with that message.

    How pages offer the step (one table, no per-button template logic): ``style`` is the
    button's look (``"primary"``, ``"secondary"`` or ``"danger"`` for destructive or
    irreversible steps); ``confirm`` is the question a person must confirm before the step
    is taken (pages require the confirmation server-side); ``needs`` names the data the step
    asks for besides a reason (``"quantities"`` per line, ``"planned_for"``, ``"warehouse"``).
    ``offered=False``: pages never offer the step as a button; another domain's service
    takes it as a consequence (goods a convoy brought back return a request to approved).
    """

    sources: frozenset[str]
    target: str
    action: Action
    label: Text
    needs_reason: bool = False
    own_organisation: bool = False
    service_only: Text | None = None
    guards: tuple[Guard, ...] = field(default=())
    style: str = "primary"
    confirm: Text | None = None
    needs: tuple[str, ...] = field(default=())
    offered: bool = True

    def __init__(
        self,
        sources: Iterable[str],
        target: str,
        action: Action,
        label: Text,
        *,
        needs_reason: bool = False,
        own_organisation: bool = False,
        service_only: Text | None = None,
        guards: Iterable[Guard] = (),
        style: str = "primary",
        confirm: Text | None = None,
        needs: Iterable[str] = (),
        offered: bool = True,
    ) -> None:
        if style not in STYLES:
            raise ValueError(f"unknown step style {style!r}")
        object.__setattr__(self, "sources", frozenset(str(s) for s in sources))
        object.__setattr__(self, "target", str(target))
        object.__setattr__(self, "action", action)
        object.__setattr__(self, "label", label)
        object.__setattr__(self, "needs_reason", needs_reason)
        object.__setattr__(self, "own_organisation", own_organisation)
        object.__setattr__(self, "service_only", service_only)
        object.__setattr__(self, "guards", tuple(guards))
        object.__setattr__(self, "style", style)
        object.__setattr__(self, "confirm", confirm)
        object.__setattr__(self, "needs", tuple(needs))
        object.__setattr__(self, "offered", offered)

    @property
    def destructive(self) -> bool:
        return self.style == "danger"


class Workflow:
    """The transition table of one entity and its one check (see the module docstring).

    ``scope(record) -> (area, organisation)`` gives what the permission is checked
    against; ``invalid_message`` is formatted with ``step``, ``status``, ``from`` and
    ``to`` (translated labels).
    """

    def __init__(
        self,
        *,
        name: str,
        states: type[TextChoices],
        transitions: Mapping[str, Transition],
        initial: Iterable[str],
        scope: Callable[[Any], tuple[Area, Organisation]],
        invalid_message: Text = INVALID_STEP,
        status_field: str = "status",
    ) -> None:
        self.name = name
        self.states = states
        self.transitions = dict(transitions)
        self.initial = frozenset(str(s) for s in initial)
        self.scope = scope
        self.invalid_message = invalid_message
        self.status_field = status_field
        known = set(states.values)
        for step, t in self.transitions.items():
            if not t.sources <= known or t.target not in known:
                raise ValueError(f"{name}.{step}: unknown status in the transition table")

    # ----------------------------------------------------------------------- the table

    def step(self, name: str) -> Transition:
        if name not in self.transitions:
            raise UnknownStep(step=name, steps=sorted(self.transitions))
        return self.transitions[name]

    def label(self, status: str) -> str:
        try:
            return str(self.states(status).label)
        except ValueError:
            return status

    def next_states(self, status: str) -> dict[str, str]:
        """Step name → the status it leads to, for the steps open from ``status``."""
        return {n: t.target for n, t in self.transitions.items() if status in t.sources}

    def step_to(self, status: str, target: str) -> str | None:
        """The step that leads from ``status`` to ``target`` (None when there is none)."""
        for name, t in self.transitions.items():
            if status in t.sources and t.target == target:
                return name
        return None

    def needs_reason(self) -> set[str]:
        return {n for n, t in self.transitions.items() if t.needs_reason}

    # ----------------------------------------------------------------------- the check

    def _scope(self, record: Any, t: Transition) -> tuple[Area, Organisation]:
        area, organisation = self.scope(record)
        return area, organisation if t.own_organisation else UNSCOPED

    def check(
        self,
        *,
        actor: Actor | None,
        record: Any,
        step: str | None = None,
        to: str | None = None,
        reason: str = "",
        bulk: bool = False,
        status: str | None = None,
    ) -> tuple[str, Transition]:
        """THE check of a step; returns ``(step name, transition)`` or raises.

        Name the ``step`` (a step service) or the target status ``to`` (a bulk status
        change). ``status`` overrides the record's current status (used by
        :meth:`check_new` along a path). Checks, in order: that a bulk change does not take
        a ``service_only`` step (refused for everyone), permission in the record's scope,
        that the step is open from the current status, the reason, the step's guards.
        """
        current = str(status if status is not None else getattr(record, self.status_field))
        if step is None:
            if to is None:
                raise TypeError("check() needs step= or to=")
            found = self.step_to(current, str(to))
            if found is None:
                raise self._invalid(current, step=None, to=str(to))
            step = found
        t = self.step(step)
        if bulk and t.service_only is not None:  # refused for everyone, whatever the rights
            raise InvalidTransition(t.service_only, step=step, status=current, to=t.target)
        area, organisation = self._scope(record, t)
        require_write(actor, t.action, area=area, organisation=organisation)
        if current not in t.sources:
            raise self._invalid(current, step=step, to=t.target)
        if t.needs_reason and not reason.strip():
            raise ReasonRequired(field="reason", step=step)
        for guard in t.guards:
            guard(record)
        return step, t

    def check_new(
        self,
        *,
        actor: Actor | None,
        record: Any,
        status: str,
        reason: str = "",
    ) -> list[str]:
        """May ``actor`` create ``record`` directly in ``status`` (imports)?

        An initial status needs nothing more (the create service checks creation). A later
        one must be reachable from an initial status along steps that are not
        ``service_only``, each of which :meth:`check` allows; returns those steps.
        """
        status = str(status)
        if status in self.initial:
            return []
        path = self._path(status)
        if path is None:
            raise InvalidTransition(
                _(
                    "A new record cannot start as %(status)s: that status is reached by its own step."
                )
                % {"status": self.label(status).lower()},
                status=status,
            )
        current = self.transitions[path[0]].sources & self.initial
        source = min(current)
        for step in path:
            self.check(
                actor=actor, record=record, step=step, status=source, reason=reason, bulk=True
            )
            source = self.transitions[step].target
        return path

    def _path(self, target: str) -> list[str] | None:
        """Shortest chain of non-service-only steps from an initial status to ``target``."""
        queue: deque[tuple[str, list[str]]] = deque((s, []) for s in sorted(self.initial))
        seen = set(self.initial)
        while queue:
            status, path = queue.popleft()
            for name, t in self.transitions.items():
                if status not in t.sources or t.service_only is not None or t.target in seen:
                    continue
                if t.target == target:
                    return [*path, name]
                seen.add(t.target)
                queue.append((t.target, [*path, name]))
        return None

    def _invalid(self, current: str, *, step: str | None, to: str) -> InvalidTransition:
        label = self.transitions[step].label if step else self.label(to)
        message = self.invalid_message % {
            "step": str(label),
            "status": self.label(current).lower(),
            "from": self.label(current),
            "to": self.label(to),
        }
        return InvalidTransition(message, status=current, step=step, to=to)

    def allowed(self, *, actor: Actor | None, record: Any) -> list[str]:
        """Names of the steps ``actor`` may take on ``record`` now (for buttons)."""
        current = str(getattr(record, self.status_field))
        result = []
        for name, t in self.transitions.items():
            if current not in t.sources or not t.offered:
                continue
            area, organisation = self._scope(record, t)
            if can_write(actor, t.action, area=area, organisation=organisation):
                result.append(name)
        return result
