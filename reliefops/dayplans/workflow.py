"""The plan-run workflow: its transition table (the one check is ``core.workflow``).

::

    queued → running → draft → committed → superseded (by a committed re-plan)
    queued/running → failed (with its reason) | cancelled;  draft → cancelled (discarded)
    draft → draft: an edit of the draft (move, drop or pin a stop, swap a vehicle)

A run covers ``run.area`` (every area when empty, which takes a national membership); its
steps are taken by ``dayplans.services``: the job's own steps (start, finish, fail) as
the user who started the run.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from reliefops.core.actions import Action
from reliefops.core.permissions import UNSCOPED
from reliefops.core.workflow import Transition, Workflow
from reliefops.dayplans.choices import PlanStatus

S = PlanStatus
A = Action
_JOB = _("The planning job takes this step itself.")

PLAN_WORKFLOW = Workflow(
    name="plan",
    states=PlanStatus,
    initial={S.QUEUED},
    scope=lambda run: (run.area, UNSCOPED),
    transitions={
        "start": Transition(
            {S.QUEUED}, S.RUNNING, A.PLAN_RUN, _("Start"), service_only=_JOB, offered=False
        ),
        "finish": Transition(
            {S.RUNNING}, S.DRAFT, A.PLAN_RUN, _("Finish"), service_only=_JOB, offered=False
        ),
        "fail": Transition(
            {S.QUEUED, S.RUNNING}, S.FAILED, A.PLAN_RUN, _("Fail"), service_only=_JOB, offered=False
        ),
        "cancel": Transition(
            {S.QUEUED, S.RUNNING},
            S.CANCELLED,
            A.PLAN_RUN,
            _("Cancel the run"),
            style="danger",
            confirm=_("Cancel this planning run? What it has found so far is lost."),
        ),
        "edit": Transition(
            {S.DRAFT},
            S.DRAFT,
            A.PLAN_RUN,
            _("Edit the draft"),
            service_only=_("An edit names the stop, the vehicle or the team it changes."),
            offered=False,
        ),
        "commit": Transition(
            {S.DRAFT},
            S.COMMITTED,
            A.PLAN_COMMIT,
            _("Commit the plan"),
            service_only=_("Committing creates the convoys and the rounds."),
            confirm=_(
                "Commit this plan? Its convoys (with their stock reserved) and its team "
                "rounds are created."
            ),
        ),
        "discard": Transition(
            {S.DRAFT},
            S.CANCELLED,
            A.PLAN_RUN,
            _("Discard the draft"),
            style="danger",
            confirm=_("Discard this draft plan?"),
        ),
        "supersede": Transition(
            {S.COMMITTED},
            S.SUPERSEDED,
            A.PLAN_COMMIT,
            _("Supersede"),
            service_only=_("A committed re-plan supersedes the plan it re-plans."),
            offered=False,
        ),
    },
)
