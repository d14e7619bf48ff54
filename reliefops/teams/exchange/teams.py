"""The ``teams`` export: one row per team the actor sees (members' names are staff
names; no phone of anyone is in the file)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext_lazy

from reliefops.core import exchange as ex
from reliefops.teams.fields import TEAM
from reliefops.teams.filtersets import TeamFilterSet
from reliefops.teams.selectors import team_facts, team_list


class TeamExporter(ex.Exporter):
    columns = TEAM.columns()
    filterset = TeamFilterSet

    def rows(self) -> Iterator[dict[str, Any]]:
        for team in self.filtered(team_list(actor=self.actor)):
            facts = team_facts(team)
            members = list(team.members.all())
            yield TEAM.row_cells(
                team,
                organisation=team.organisation.acronym,
                partner_organisations=sorted(o.acronym for o in team.partner_organisations.all()),
                area=team.area.code,
                service_areas=sorted(a.code for a in team.service_areas.all()),
                base=team.base.code if team.base is not None else "",
                vehicle=team.vehicle.registration if team.vehicle is not None else "",
                members=len(members),
                member_names=[m.name for m in members],
                skills=[code for code, _label in facts.skills],
                languages=[code for code, _label in facts.languages],
            )


ex.register("teams", exporter=TeamExporter, label=gettext_lazy("Mobile teams"))
