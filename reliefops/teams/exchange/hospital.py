"""The ``referrals`` and ``caseload`` exports.

Referrals name the person by pseudonymous reference only (never a name, phone or
address) and are scoped like the referral list. Caseload is one row per facility, day,
measure, age band and sex with counts of 1–4 people suppressed (``<5``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext_lazy

from reliefops.core import exchange as ex
from reliefops.core.privacy import suppress
from reliefops.teams.fields import CASELOAD, REFERRAL
from reliefops.teams.filtersets import CaseloadFilterSet, ReferralFilterSet
from reliefops.teams.selectors import caseload_export_rows, referral_list


def _code(obj: Any) -> str:
    return obj.code if obj is not None else ""


class ReferralExporter(ex.Exporter):
    columns = REFERRAL.columns()
    filterset = ReferralFilterSet

    def rows(self) -> Iterator[dict[str, Any]]:
        referrals = self.filtered(referral_list(actor=self.actor)).select_related("facility_area")
        for referral in referrals:
            yield REFERRAL.row_cells(
                referral,
                person=referral.person.reference,
                facility=referral.facility.code,
                facility_area=_code(referral.facility_area),
                area=_code(referral.area),
                team=_code(referral.team),
                transferred_to=_code(referral.transferred_to),
            )


class CaseloadExporter(ex.Exporter):
    columns = CASELOAD.columns()
    filterset = CaseloadFilterSet

    def rows(self) -> Iterator[dict[str, Any]]:
        for cell in self.filtered(caseload_export_rows(actor=self.actor)):
            yield CASELOAD.row_cells(cell, facility=cell.facility.code, count=suppress(cell.count))


ex.register("referrals", exporter=ReferralExporter, label=gettext_lazy("Referrals"))
ex.register("caseload", exporter=CaseloadExporter, label=gettext_lazy("Hospital caseload"))
