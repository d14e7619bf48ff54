"""What the day plans tell people (``reliefops.notices``): a plan run's draft is ready for
review, to the user who started the run."""

from __future__ import annotations

from django.urls import reverse

from reliefops.dayplans.models import PlanRun
from reliefops.notices.choices import NoticeKind
from reliefops.notices.services import notify


def plan_ready_notify(run: PlanRun) -> None:
    """Call inside the transaction that saves the draft (the job acts as the run's creator,
    who is told: nobody else started it)."""
    served = (run.kpis or {}).get("served_percent")
    notify(
        [run.created_by],
        NoticeKind.PLAN_READY,
        {
            "reference": run.reference,
            "date": run.date.isoformat(),
            "served": f"{served:.1f}" if isinstance(served, int | float) else "…",
            "area": run.area.code if run.area_id and run.area else "",
        },
        reverse("dayplans:plan_detail", args=[run.reference]),
        run.reference,
    )
