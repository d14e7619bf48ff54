"""Retention of what field submissions carried (the record as sent may hold a receiver's
name or a phone; a form instance its GPS position and who submitted it), run by the
system from :mod:`reliefops.intake.retention`."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from reliefops.intake.choices import SubmissionStatus
from reliefops.intake.models import FormInstance, Submission


def submissions_purge_payloads(*, cutoff: dt.datetime) -> dict[str, int]:
    """Submissions received before ``cutoff`` and no longer waiting lose the record as sent
    (``data``) and the reason text; their form instances lose the position, the submitter's
    name and the attachment list. The id, the body's SHA-256, the status and the answer stay,
    so a device that retries still gets its answer and nothing is applied twice."""
    old = Submission.objects.filter(received_at__lt=cutoff, purged_at=None).exclude(
        status=SubmissionStatus.WAITING
    )
    ids = list(old.select_for_update().values_list("pk", flat=True))
    # one row at a time: each record is encrypted with its own token
    for submission in Submission.objects.filter(pk__in=ids):
        submission.data = {}
        submission.reason = ""
        submission.purged_at = timezone.now()
        submission.save(update_fields=["data", "reason", "purged_at", "updated_at"])
    instances = (
        FormInstance.objects.filter(Q(submission_id__in=ids) | Q(created_at__lt=cutoff))
        .filter(~Q(submitted_by="") | ~Q(attachments=[]) | Q(latitude__isnull=False))
        .update(latitude=None, longitude=None, submitted_by="", attachments=[])
    )
    return {"submissions_erased": len(ids), "form_instances_erased": instances}
