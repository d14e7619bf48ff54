"""The intake domain's retention kinds (see :mod:`reliefops.core.retention`)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from reliefops.core.retention import retention_kind
from reliefops.intake.services import submissions_purge_payloads


@retention_kind(
    "submissions",
    label=_("Field submissions as sent"),
    description=_(
        "Field submissions received more than this many days ago lose the record as sent "
        "(it may hold names and phones) and their form's position and submitter; the "
        "records they created stay."
    ),
    default_days=90,
)
def submissions_retention(cutoff: dt.datetime) -> dict[str, int]:
    return submissions_purge_payloads(cutoff=cutoff)
