"""The ``rounds`` export (one row per stop).

People are named by their pseudonymous reference only; it is scoped like the pages
(``person.read`` in the round's area), and a stop whose person the actor may not read is
left out. (The ``visits`` kind is in :mod:`.visits`.)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext_lazy

from reliefops.core import exchange as ex
from reliefops.teams.fields import ROUND_STOP
from reliefops.teams.filtersets import RoundFilterSet
from reliefops.teams.selectors import round_list
from reliefops.teams.selectors.rounds import readable_person_ids


class RoundExporter(ex.Exporter):
    columns = ROUND_STOP.columns()
    filterset = RoundFilterSet

    def rows(self) -> Iterator[dict[str, Any]]:
        readable = readable_person_ids(self.actor)
        for rnd in self.filtered(round_list(actor=self.actor)).order_by("date", "reference"):
            for stop in rnd.stops.all():
                if stop.person_id is not None and stop.person_id not in readable:
                    continue
                yield ROUND_STOP.row_cells(
                    stop,
                    round=rnd.reference,
                    date=rnd.date,
                    status=rnd.status,
                    team=rnd.team.code,
                    place=stop.place.code,
                    person=stop.person.reference if stop.person is not None else "",
                )


ex.register("rounds", exporter=RoundExporter, label=gettext_lazy("Rounds (one row per stop)"))
