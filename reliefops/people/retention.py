"""The registry's retention kinds (see :mod:`reliefops.core.retention`)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from reliefops.core.retention import retention_kind
from reliefops.people.services import identity_access_purge, persons_erase_expired


@retention_kind(
    "persons",
    label=_("Persons no longer served"),
    description=_(
        "Records marked no longer served (moved, deceased, no longer needing visits) and "
        "unchanged for this many days are erased: identity, year of birth, household and "
        "record history, and the history of their visits and referrals."
    ),
    default_days=730,
)
def persons_purge(cutoff: dt.datetime) -> dict[str, int]:
    return persons_erase_expired(cutoff=cutoff)


@retention_kind(
    "identity_access",
    label=_("Identity access log"),
    description=_("Entries of the identity access log older than this many days are deleted."),
    default_days=1095,
)
def identity_access_retention(cutoff: dt.datetime) -> dict[str, int]:
    return identity_access_purge(cutoff=cutoff)
