"""Retention of meeting attachments (signed minutes, photos of the board: they may show
people), run by the system from :mod:`reliefops.coordination.retention`."""

from __future__ import annotations

import datetime as dt

from reliefops.coordination.meeting_models import MeetingAttachment
from reliefops.core.retention import file_delete_on_commit


def meeting_attachments_purge(*, cutoff: dt.datetime) -> dict[str, int]:
    """Delete the attachments added before ``cutoff``: their rows now, their files from the
    storage after the commit (inside the caller's transaction)."""
    expired = list(MeetingAttachment.objects.filter(created_at__lt=cutoff).select_for_update())
    files = file_delete_on_commit(a.file for a in expired)
    deleted, _by_model = MeetingAttachment.objects.filter(pk__in=[a.pk for a in expired]).delete()
    return {"attachments_deleted": deleted, "files_deleted": files}
