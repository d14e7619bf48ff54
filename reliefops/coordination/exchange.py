"""Exchange kinds of the coordination domain, export only: the 3W presence list and the
partner directory (each with its list's filters)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext_lazy

from reliefops.coordination.filtersets import OrganisationFilterSet, PresenceFilterSet
from reliefops.coordination.selectors import (
    partner_organisation_list,
    partner_sector_codes,
    presence_list,
)
from reliefops.core import exchange as ex

PRESENCE_COLUMNS = [
    ex.Column("organisation", hxl="#org+acronym"),
    ex.Column("area", hxl="#adm1+code"),
    ex.Column("area_name", hxl="#adm1+name"),
    ex.Column("sector", hxl="#sector+code"),
    ex.Column("activity", hxl="#activity+description"),
    ex.Column("start_date", hxl="#date+start"),
    ex.Column("end_date", hxl="#date+end"),
]


class PresenceExporter(ex.Exporter):
    """Who works where (3W), the rows of the presence list's filters."""

    columns = PRESENCE_COLUMNS
    filterset = PresenceFilterSet

    def rows(self) -> Iterator[dict[str, Any]]:
        for p in self.filtered(presence_list(actor=self.actor)):
            yield {
                "organisation": p.organisation.acronym,
                "area": p.area.code,
                "area_name": p.area.name,
                "sector": p.sector,
                "activity": p.activity,
                "start_date": p.start_date,
                "end_date": p.end_date,
            }


PARTNER_COLUMNS = [
    ex.Column("acronym", hxl="#org+acronym"),
    ex.Column("name", hxl="#org+name"),
    ex.Column("kind", hxl="#org+type"),
    ex.Column("sectors", hxl="#sector+list"),
]


class PartnerExporter(ex.Exporter):
    """The partner directory: organisations with the sectors seen in the actor's areas."""

    columns = PARTNER_COLUMNS
    filterset = OrganisationFilterSet

    def rows(self) -> Iterator[dict[str, Any]]:
        organisations = list(self.filtered(partner_organisation_list(actor=self.actor)))
        for row in partner_sector_codes(actor=self.actor, organisations=organisations):
            organisation = row["organisation"]
            yield {
                "acronym": organisation.acronym,
                "name": organisation.name,
                "kind": organisation.kind,
                "sectors": " ".join(row["sectors"]),
            }


ex.register("presence", exporter=PresenceExporter, label=gettext_lazy("Presence (3W)"))
ex.register("partners", exporter=PartnerExporter, label=gettext_lazy("Partner organisations"))

# --- added for meetings: the meetings, decisions and action-items kinds
from reliefops.coordination import meeting_exchange  # noqa: E402, F401
