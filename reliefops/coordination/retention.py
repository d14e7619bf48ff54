"""The coordination domain's retention kinds (see :mod:`reliefops.core.retention`)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from reliefops.coordination.services import meeting_attachments_purge
from reliefops.core.retention import retention_kind


@retention_kind(
    "meeting_attachments",
    label=_("Meeting attachments"),
    description=_(
        "Files attached to meetings more than this many days ago (signed minutes, photos) "
        "are deleted, with their rows."
    ),
    default_days=1825,
)
def meeting_attachments_retention(cutoff: dt.datetime) -> dict[str, int]:
    return meeting_attachments_purge(cutoff=cutoff)
