"""Models of the day-plans domain: the Django side of planning.

A :class:`PlanRun` is one planning cycle for a day: its parameters, the hash of its input
(the same day and data give the same problem, so the same hash), its progress while it
runs, and when it ends the draft plan (``plan``: the planning core's plan JSON), the
independent checker's verdict, the KPIs and the ``index`` that maps the problem's ids back
to the database (demand → request line, vehicle → registration, visit → person …). A
coordinator reviews and edits the draft (``edits``) and commits it into convoys and
rounds, once. A :class:`PlanPart` is one routing sub-problem of a run, solved by its own
Celery task; several workers on several machines share one day through them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from reliefops.core.models import BaseModel
from reliefops.dayplans.choices import FINISHED, PartStatus, PlanStatus


class PlanRun(BaseModel):
    reference = models.CharField(_("reference"), max_length=30, unique=True)
    date = models.DateField(_("date"), db_index=True)
    area = models.ForeignKey(
        "places.AdminArea",
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Deliveries and visits in this area; empty: everywhere."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=PlanStatus, default=PlanStatus.QUEUED
    )
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    input_hash = models.CharField(_("input hash"), max_length=64, blank=True, db_index=True)
    phase = models.CharField(_("phase"), max_length=20, blank=True)
    progress = models.FloatField(_("progress"), default=0.0)
    parts_total = models.PositiveIntegerField(_("sub-problems"), default=0)
    parts_done = models.PositiveIntegerField(_("sub-problems solved"), default=0)
    problem = models.BinaryField(_("problem"), null=True, blank=True, editable=False)
    prepared = models.BinaryField(_("prepared sub-problems"), null=True, blank=True, editable=False)
    index = models.JSONField(_("index"), default=dict, blank=True)
    plan = models.JSONField(_("plan"), null=True, blank=True)
    violations = models.JSONField(_("checker violations"), default=list, blank=True)
    kpis = models.JSONField(_("figures"), default=dict, blank=True)
    timings = models.JSONField(_("seconds per phase"), default=dict, blank=True)
    edits = models.JSONField(_("edits"), default=list, blank=True)
    error = models.TextField(_("error"), blank=True)
    task_id = models.CharField(_("background job id"), max_length=64, blank=True)
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("re-plans"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replans",
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    committed_at = models.DateTimeField(_("committed at"), null=True, blank=True)
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("committed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    commitment = models.JSONField(_("committed records"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["date", "status"])]
        verbose_name = _("plan run")
        verbose_name_plural = _("plan runs")

    def __str__(self) -> str:
        return f"{self.reference} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    @property
    def percent(self) -> int:
        return 100 if self.finished else min(99, int(self.progress * 100))


class PlanPart(models.Model):
    """One routing sub-problem of a run (pickled, signed), and its result once solved."""

    run = models.ForeignKey(PlanRun, on_delete=models.CASCADE, related_name="parts")
    number = models.PositiveIntegerField(_("number"))
    key = models.CharField(_("key"), max_length=200)
    size = models.PositiveIntegerField(_("stops"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=PartStatus, default=PartStatus.QUEUED
    )
    task = models.BinaryField(editable=False)
    result = models.BinaryField(null=True, blank=True, editable=False)
    worker = models.CharField(_("worker"), max_length=200, blank=True)
    seconds = models.FloatField(_("seconds"), default=0.0)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["run", "number"]
        constraints = [
            models.UniqueConstraint(fields=["run", "number"], name="dayplans_part_unique")
        ]
        verbose_name = _("plan sub-problem")
        verbose_name_plural = _("plan sub-problems")

    def __str__(self) -> str:
        return f"{self.run.reference} #{self.number} {self.key}"
