"""The logistics domain's retention kinds (see :mod:`reliefops.core.retention`)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from reliefops.core.retention import retention_kind
from reliefops.logistics.services import deliveries_anonymise, drivers_anonymise_inactive


@retention_kind(
    "drivers",
    label=_("Drivers no longer active"),
    description=_(
        "Drivers marked inactive and unchanged for this many days lose their name, phone, "
        "licence number and record history."
    ),
    default_days=365,
)
def drivers_retention(cutoff: dt.datetime) -> dict[str, int]:
    return drivers_anonymise_inactive(cutoff=cutoff)


@retention_kind(
    "delivery_notes",
    label=_("Proofs of delivery"),
    description=_(
        "Deliveries received more than this many days ago lose the receiver's name, the "
        "note and the photo of the signed delivery note (deleted from the disk)."
    ),
    default_days=365,
)
def delivery_notes_retention(cutoff: dt.datetime) -> dict[str, int]:
    return deliveries_anonymise(cutoff=cutoff)
