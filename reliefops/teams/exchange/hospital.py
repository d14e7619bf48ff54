"""The ``caseload`` export: one row per facility, day, measure, age band and sex with
counts of 1–4 people suppressed (``<5``). (The ``referrals`` kind is in :mod:`.referrals`.)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext_lazy

from reliefops.core import exchange as ex
from reliefops.core.privacy import suppress
from reliefops.teams.fields import CASELOAD
from reliefops.teams.filtersets import CaseloadFilterSet
from reliefops.teams.selectors import caseload_export_rows


class CaseloadExporter(ex.Exporter):
    columns = CASELOAD.columns()
    filterset = CaseloadFilterSet

    def rows(self) -> Iterator[dict[str, Any]]:
        for cell in self.filtered(caseload_export_rows(actor=self.actor)):
            yield CASELOAD.row_cells(cell, facility=cell.facility.code, count=suppress(cell.count))


ex.register("caseload", exporter=CaseloadExporter, label=gettext_lazy("Hospital caseload"))
