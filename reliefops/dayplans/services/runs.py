"""Plan runs: start one, its job, progress, cancel.

A run is a job in phases, each saved on the run (``phase``, ``progress`` 0..1, ``timings``)
so that pages and the CLI can show a bar:

1. ``build``: the problem from the database (``dayplans.problem.problem_build``), stored
   on the run with its index and input hash;
2. ``prepare``: allocation and the cut into routing sub-problems
   (:func:`reliefops.planning.solve_prepare`); one :class:`PlanPart` per sub-problem;
3. ``routing``: a Celery chord — one ``plan_part_task`` per part (any worker, any
   machine), then ``plan_merge_task``;
4. ``merge``/``check``/``save``: :func:`reliefops.planning.solve_merge`, the independent
   checker, the draft plan and its KPIs.

With no broker (``CELERY_TASK_ALWAYS_EAGER``, the embedded default) the same chord runs
inline, so inline and worker runs take the same code path and, for a seed and an
iteration limit, give the same plan. The job's own steps (start, finish, fail) are taken
through ``PLAN_WORKFLOW`` as the user who started the run. Any failure ends the run as
``failed`` with a human reason in ``run.error`` (never a traceback). A cancelled run's
parts that have not started are skipped and its merge saves nothing.
"""

from __future__ import annotations

import contextlib
import logging
import re
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from importlib import import_module
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reliefops.core.actions import Action
from reliefops.core.audit import audit_record
from reliefops.core.errors import ApplicationError, Forbidden, InvalidInput
from reliefops.core.jobs import broker_inline, job_send
from reliefops.core.permissions import UNSCOPED, Actor, actor_limit, actor_user, require_write
from reliefops.dayplans.blobs import blob_pack, blob_unpack
from reliefops.dayplans.choices import PartStatus, PlanStatus
from reliefops.dayplans.models import PlanPart, PlanRun
from reliefops.dayplans.notices import plan_ready_notify
from reliefops.dayplans.workflow import PLAN_WORKFLOW

logger = logging.getLogger(__name__)

#: Progress (0..1) at the start of each phase; routing fills the span up to ``merge``.
PROGRESS = {"build": 0.0, "prepare": 0.1, "routing": 0.2, "merge": 0.95, "check": 0.97}
SECONDS_RANGE = (1, 3600)
WORKERS_RANGE = (1, 64)


# --------------------------------------------------------------------------- helpers


def _problem_api() -> Any:
    """The module that builds, stores and loads a run's problem (``dayplans.problem``;
    the setting ``RELIEFOPS_PLAN_PROBLEM`` names it)."""
    return import_module(getattr(settings, "RELIEFOPS_PLAN_PROBLEM", "reliefops.dayplans.problem"))


def _planning() -> Any:
    # Loaded on use: the planning core pulls in HiGHS, SciPy and PyVRP.
    return import_module("reliefops.planning")


def _int_param(name: str, value: Any, low: int, high: int | None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        try:
            value = int(str(value))
        except ValueError:
            raise InvalidInput(_("Give a whole number."), field=name) from None
    if value < low or (high is not None and value > high):
        if high is None:
            message = _("Must be at least %(low)s.") % {"low": low}
        else:
            message = _("Must be between %(low)s and %(high)s.") % {"low": low, "high": high}
        raise InvalidInput(message, field=name, value=value)
    return int(value)


def run_parameters(
    *, seconds: Any = 30, seed: Any = 1, iterations: Any = None, workers: Any = None
) -> dict[str, Any]:
    """Validated job parameters; :class:`InvalidInput` names the field that is wrong."""
    return {
        "seconds": _int_param("seconds", seconds, *SECONDS_RANGE),
        "seed": _int_param("seed", seed, 0, None),
        "iterations": None if iterations is None else _int_param("iterations", iterations, 1, None),
        "workers": _int_param(
            "workers",
            workers if workers is not None else getattr(settings, "RELIEFOPS_PLAN_WORKERS", 1),
            *WORKERS_RANGE,
        ),
    }


def _reference(day: date) -> str:
    prefix = f"PL-{day:%Y%m%d}-"
    numbers = [
        int(m.group(1))
        for ref in PlanRun.objects.filter(reference__startswith=prefix).values_list(
            "reference", flat=True
        )
        if (m := re.fullmatch(r"PL-\d{8}-(\d+)", ref))
    ]
    return f"{prefix}{max(numbers, default=0) + 1}"


def _reason(exc: BaseException) -> str:
    """A human reason for a failure: the error's message, never a traceback."""
    if isinstance(exc, ApplicationError):
        return str(exc.message)
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


#: In-process observers of the runs' progress (the CLI's bar when the job runs inline).
_OBSERVERS: list[Callable[[PlanRun], None]] = []


@contextmanager
def plan_progress_observed(observer: Callable[[PlanRun], None]) -> Iterator[None]:
    """Call ``observer(run)`` whenever a run's phase or progress changes in this process
    (jobs running inline; a worker's progress is read from the run's row instead)."""
    _OBSERVERS.append(observer)
    try:
        yield
    finally:
        _OBSERVERS.remove(observer)


def _set(run: PlanRun, **fields: Any) -> None:
    for name, value in fields.items():
        setattr(run, name, value)
    PlanRun.objects.filter(pk=run.pk).update(**fields, updated_at=timezone.now())
    if _OBSERVERS and ({"phase", "progress", "status"} & fields.keys()):
        for observer in list(_OBSERVERS):
            observer(run)


def _phase(run: PlanRun, phase: str, progress: float | None = None) -> None:
    _set(run, phase=phase, progress=PROGRESS.get(phase, 0.0) if progress is None else progress)


def _part_task_id(run_id: Any, number: int) -> str:
    return f"plan-{run_id}-part-{number}"


def _merge_task_id(run_id: Any) -> str:
    return f"plan-{run_id}-merge"


def _eager() -> bool:
    return broker_inline()


# --------------------------------------------------------------------------- start


def plan_run_start(
    *,
    actor: Actor,
    day: date,
    area: Any = None,
    seconds: int = 30,
    seed: int = 1,
    iterations: int | None = None,
    workers: int | None = None,
    based_on: PlanRun | None = None,
) -> PlanRun:
    """Queue a planning run for ``day`` (in ``area``; everywhere when None).

    ``seconds`` is the routing time limit for the whole day (1..3600), ``iterations`` an
    optional iteration limit per sub-problem (for reproducible plans), ``workers`` how many
    Celery workers share the day (1..64; default the setting ``RELIEFOPS_PLAN_WORKERS``).
    The job is enqueued once the transaction commits; with no broker it runs inline then.
    """
    if not isinstance(day, date):
        raise InvalidInput(_("Give a date."), field="day")
    parameters = run_parameters(seconds=seconds, seed=seed, iterations=iterations, workers=workers)
    require_write(actor, Action.PLAN_RUN, area=area, organisation=UNSCOPED)
    if actor_limit(actor) is not None:  # its worker would act with the full memberships
        raise Forbidden(
            _("A plan run is started by a signed-in user, not with a scoped API token."),
            code="token_not_allowed",
        )
    for _attempt in range(5):
        try:
            with transaction.atomic():
                run = PlanRun.objects.create(
                    reference=_reference(day),
                    date=day,
                    area=area,
                    parameters=parameters,
                    based_on=based_on,
                    status=PlanStatus.QUEUED,
                    created_by=actor_user(actor),
                )
                audit_record(
                    actor=actor,
                    action="plan.run_start",
                    obj=run,
                    after={"date": day.isoformat(), "reference": run.reference, **parameters},
                )
                break
        except IntegrityError:  # two runs took the same number at once: take the next one
            continue
    else:
        raise InvalidInput(_("Could not number the run; try again."), field="day")
    transaction.on_commit(lambda: _enqueue(run))
    return run


def _enqueue(run: PlanRun) -> None:
    from reliefops.dayplans.tasks import plan_run_task

    task_id = f"plan-{run.pk}-run"
    PlanRun.objects.filter(pk=run.pk).update(task_id=task_id)
    run.task_id = task_id
    job_send(
        lambda: plan_run_task.apply_async((str(run.pk),), task_id=task_id),
        refused=lambda reason: plan_run_fail(run, reason),
        what=f"plan run {run.reference}",
    )


# --------------------------------------------------------------------------- the job


def plan_run_execute(run: PlanRun) -> PlanRun:
    """The job of a queued run: build, store, prepare, then the chord of its sub-problems.

    Returns the run (in eager mode already a draft, or failed). Never raises for a failure
    of the run itself: that becomes ``failed`` with its reason.
    """
    actor = run.created_by
    try:
        with transaction.atomic():
            locked = PlanRun.objects.select_for_update().get(pk=run.pk)
            if locked.status == PlanStatus.RUNNING and not locked.parts_total:
                # Delivered again (acks_late) after the worker building it died: fail it
                # rather than leave it running for ever.
                raise RuntimeError(
                    str(_("The worker building this plan stopped; start the run again."))
                )
            if locked.status != PlanStatus.QUEUED:  # cancelled meanwhile, or re-delivered
                return locked
            if actor is None:
                raise Forbidden(_("The user who started this run no longer exists."))
            PLAN_WORKFLOW.check(actor=actor, record=locked, step="start")
            _set(locked, status=PlanStatus.RUNNING, started_at=timezone.now(), phase="build")
        run.refresh_from_db()
        parts = _build_and_prepare(run)
    except Exception as exc:  # every failure ends the run with its reason
        plan_run_fail(run, exc)
        run.refresh_from_db()
        return run
    transaction.on_commit(lambda: _dispatch(run, parts))
    run.refresh_from_db()
    return run


def _build_and_prepare(run: PlanRun) -> list[PlanPart]:
    planning = _planning()
    api = _problem_api()
    params = run.parameters
    timings: dict[str, float] = {}
    _phase(run, "build")
    started = time.perf_counter()
    built = api.problem_build(
        actor=run.created_by, day=run.date, area=run.area, replan_of=run.based_on
    )
    elapsed = time.perf_counter() - started
    built_timings = getattr(built, "timings", None) or {}
    timings["load"] = float(built_timings.get("load", 0.0))
    timings["build"] = float(built_timings.get("build", elapsed - timings["load"]))
    started = time.perf_counter()
    stored = api.problem_store(built)
    timings["store"] = time.perf_counter() - started
    index = dict(built.index)
    index.setdefault("notes", list(getattr(built, "notes", None) or []))
    _set(run, problem=stored, index=index, input_hash=built.input_hash, timings=timings)
    _phase(run, "prepare")
    started = time.perf_counter()
    stop = planning.StopRule(max_seconds=params["seconds"], max_iterations=params["iterations"])
    prepared = planning.solve_prepare(
        built.problem, stop, params["seed"], workers=params.get("workers") or 1
    )
    tasks = list(prepared.tasks)
    prepared.tasks = []
    timings["prepare"] = time.perf_counter() - started
    with transaction.atomic():
        locked = PlanRun.objects.select_for_update().get(pk=run.pk)
        if locked.status != PlanStatus.RUNNING:
            return []
        PlanPart.objects.filter(run=run).delete()
        parts = PlanPart.objects.bulk_create(
            PlanPart(run=run, number=k, key=t.key, size=t.size, task=blob_pack(t))
            for k, t in enumerate(tasks)
        )
        timings["dispatched_at"] = time.time()
        _set(
            locked,
            prepared=blob_pack(prepared),
            parts_total=len(parts),
            parts_done=0,
            timings=timings,
            phase="routing",
            progress=PROGRESS["routing"],
        )
    return parts


def _dispatch(run: PlanRun, parts: list[PlanPart]) -> None:
    """The chord: every part as its own task, then the merge (inline when eager)."""
    from celery import chord, group

    from reliefops.dayplans.tasks import plan_merge_task, plan_part_task

    if not PlanRun.objects.filter(pk=run.pk, status=PlanStatus.RUNNING).exists():
        return
    header = group(
        plan_part_task.si(part.pk).set(task_id=_part_task_id(run.pk, part.number)) for part in parts
    )
    body = plan_merge_task.si(str(run.pk)).set(task_id=_merge_task_id(run.pk))
    try:
        job_send(
            lambda: (chord(header, body) if parts else body).apply_async(),
            refused=lambda reason: plan_run_fail(run, reason),
            what=f"plan run {run.reference} (sub-problems)",
        )
    except Exception as exc:  # the chord run inline raised: the run cannot go on
        plan_run_fail(run, exc)


def plan_part_solve(part_id: Any, *, worker: str = "") -> str:
    """Solve one sub-problem; safe to run twice (a part already done is not redone).

    Returns the part's status afterwards. A part of a run that is no longer running
    (cancelled, failed) is skipped. A failure fails the whole run.
    """
    planning = _planning()
    worker = worker or f"inline@{socket.gethostname()}"
    with transaction.atomic():
        part = PlanPart.objects.select_for_update().select_related("run").filter(pk=part_id).first()
        if part is None:
            return "missing"
        if part.status == PartStatus.DONE or part.run.status != PlanStatus.RUNNING:
            return str(part.status)
        PlanPart.objects.filter(pk=part.pk).update(status=PartStatus.RUNNING, worker=worker)
    run = part.run
    started = time.perf_counter()
    try:
        result = planning.task_solve(blob_unpack(part.task))
        blob = blob_pack(result)
    except Exception as exc:  # the run fails with the part's reason
        PlanPart.objects.filter(pk=part.pk).update(status=PartStatus.FAILED, error=_reason(exc))
        plan_run_fail(run, exc)
        return str(PartStatus.FAILED)
    seconds = time.perf_counter() - started
    with transaction.atomic():
        locked = PlanRun.objects.select_for_update().get(pk=run.pk)
        part = PlanPart.objects.select_for_update().get(pk=part.pk)
        if part.status == PartStatus.DONE:  # solved twice (re-delivered): keep the first
            return str(part.status)
        PlanPart.objects.filter(pk=part.pk).update(
            status=PartStatus.DONE, result=blob, worker=worker, seconds=seconds, error=""
        )
        done = PlanPart.objects.filter(run=locked, status=PartStatus.DONE).count()
        span = PROGRESS["merge"] - PROGRESS["routing"]
        fields: dict[str, Any] = {"parts_done": done}
        if locked.status == PlanStatus.RUNNING:
            total = locked.parts_total or 1
            fields["progress"] = PROGRESS["routing"] + span * done / total
        _set(locked, **fields)
    return str(PartStatus.DONE)


def plan_run_merge(run_id: Any) -> PlanRun | None:
    """Merge the parts' results, check the plan and save it as the run's draft."""
    planning = _planning()
    run = PlanRun.objects.select_related("created_by").filter(pk=run_id).first()
    if run is None or run.status != PlanStatus.RUNNING:
        return run
    try:
        parts = list(PlanPart.objects.filter(run=run).order_by("number"))
        missing = [p.key for p in parts if p.status != PartStatus.DONE]
        if missing:
            raise RuntimeError(
                str(_("Sub-problems not solved: %(keys)s.") % {"keys": ", ".join(missing)})
            )
        timings = dict(run.timings)
        dispatched = timings.pop("dispatched_at", None)
        routing_seconds = time.time() - dispatched if dispatched else sum(p.seconds for p in parts)
        timings["solve"] = routing_seconds
        _phase(run, "merge")
        started = time.perf_counter()
        problem = _problem_api().problem_load(bytes(run.problem or b""), run.index)
        prepared = blob_unpack(run.prepared or b"")
        prepared.tasks = [blob_unpack(p.task) for p in parts]
        results = [blob_unpack(p.result or b"") for p in parts]
        plan = planning.solve_merge(problem, prepared, results, routing_seconds)
        plan, pins_lost = _pins_kept(planning, problem, plan, run)  # --- added for edits
        timings["merge"] = time.perf_counter() - started
        _phase(run, "check")
        started = time.perf_counter()
        violations = planning.check(problem, plan)
        document = planning.plan_to_json(plan, violations)
        timings["check"] = time.perf_counter() - started
        kpis = plan_kpis(plan)
        started = time.perf_counter()
        with transaction.atomic():
            locked = PlanRun.objects.select_for_update().get(pk=run.pk)
            if locked.status != PlanStatus.RUNNING:  # cancelled while merging: save nothing
                return locked
            if locked.created_by is None:
                raise Forbidden(_("The user who started this run no longer exists."))
            PLAN_WORKFLOW.check(actor=locked.created_by, record=locked, step="finish")
            timings["save"] = time.perf_counter() - started
            _set(
                locked,
                status=PlanStatus.DRAFT,
                plan=document,
                violations=document.get("violations", []),
                kpis=kpis,
                timings={k: round(v, 4) for k, v in timings.items()},
                phase="done",
                progress=1.0,
                finished_at=timezone.now(),
                error="",
                **({"index": _pins_noted(locked.index, pins_lost)} if pins_lost else {}),
            )
            audit_record(
                actor=locked.created_by,
                action="plan.run_finish",
                obj=locked,
                after={
                    "violations": len(locked.violations),
                    "served_percent": kpis.get("served_percent"),
                },
            )
            plan_ready_notify(locked)
        return locked
    except Exception as exc:  # every failure ends the run with its reason
        plan_run_fail(run, exc)
        run.refresh_from_db()
        return run


# --- added for edits: a re-plan keeps the stops its base plan had pinned
def _pins_kept(planning: Any, problem: Any, plan: Any, run: PlanRun) -> tuple[Any, list[Any]]:
    """``plan`` with the pinned stops of the plan ``run`` re-plans put back on their vehicle
    or team (``planning.pins_keep``), and the pins that could not be kept."""
    base = run.based_on
    if base is None or not base.plan:
        return plan, []
    pins = planning.pinned_stops(planning.plan_from_json(base.plan))
    result: tuple[Any, list[Any]] = planning.pins_keep(problem, plan, pins)
    return result


def _pins_noted(index: dict[str, Any], lost: list[dict[str, Any]]) -> dict[str, Any]:
    notes = [
        str(
            _("Pinned stop at %(site)s (%(owner)s) not kept: %(reason)s.")
            % {
                "site": pin.get("site", ""),
                "owner": pin.get("vehicle") or pin.get("team") or "",
                "reason": pin["reason"],
            }
        )
        for pin in lost
    ]
    return {**index, "notes": [*index.get("notes", []), *notes], "pins_lost": lost}


def plan_kpis(plan: Any) -> dict[str, Any]:
    """The figures shown for a plan: its stats rounded, plus the vehicles' hours."""
    kpis: dict[str, Any] = {k: round(float(v), 4) for k, v in plan.stats.items()}
    kpis["vehicle_hours"] = round(sum(r.end_min - r.start_min for r in plan.routes) / 60.0, 4)
    return kpis


def plan_run_fail(run: PlanRun, exc: BaseException | str) -> None:
    """End a queued or running run as failed with a human reason (audit ``plan.run_fail``).

    Taken through ``PLAN_WORKFLOW`` as the run's user; when that user may no longer take
    the step (account deleted, rights withdrawn) the run is failed all the same, so that a
    job never stays ``running`` for ever.
    """
    reason = exc if isinstance(exc, str) else _reason(exc)
    if not isinstance(exc, str | ApplicationError):
        logger.warning("plan run %s failed: %s", run.pk, reason, exc_info=exc)
    with transaction.atomic():
        locked = PlanRun.objects.select_for_update().get(pk=run.pk)
        if locked.status not in (PlanStatus.QUEUED, PlanStatus.RUNNING):
            return
        with contextlib.suppress(Forbidden):
            PLAN_WORKFLOW.check(actor=locked.created_by, record=locked, step="fail")
        _set(locked, status=PlanStatus.FAILED, error=reason[:2000], finished_at=timezone.now())
        PlanPart.objects.filter(run=locked, status=PartStatus.QUEUED).update(
            status=PartStatus.FAILED, error=str(_("Skipped: the run failed."))
        )
        audit_record(
            actor=locked.created_by, action="plan.run_fail", obj=locked, after={"error": reason}
        )


# --------------------------------------------------------------------------- cancel


def plan_run_cancel(*, actor: Actor, run: PlanRun) -> PlanRun:
    """Cancel a queued or running run: parts not started are skipped, the merge saves
    nothing, and the run's Celery tasks are revoked once the transaction commits."""
    with transaction.atomic():
        locked = PlanRun.objects.select_for_update().get(pk=run.pk)
        PLAN_WORKFLOW.check(actor=actor, record=locked, step="cancel")
        before = locked.status
        _set(locked, status=PlanStatus.CANCELLED, finished_at=timezone.now())
        numbers = list(
            PlanPart.objects.filter(run=locked)
            .exclude(status=PartStatus.DONE)
            .values_list("number", flat=True)
        )
        audit_record(
            actor=actor,
            action="plan.run_cancel",
            obj=locked,
            before={"status": before},
            after={"status": PlanStatus.CANCELLED},
        )
    task_ids = [locked.task_id] if locked.task_id else []
    task_ids += [_part_task_id(locked.pk, n) for n in numbers] + [_merge_task_id(locked.pk)]
    transaction.on_commit(lambda: _revoke(task_ids))
    run.refresh_from_db()
    return run


def _revoke(task_ids: list[str]) -> None:
    if _eager() or not task_ids:
        return
    from reliefops.celery import app

    try:
        app.control.revoke(task_ids)
    except Exception:  # the status already stops the parts; revoking only saves work
        logger.warning("could not revoke the tasks of a cancelled plan run", exc_info=True)
