"""The ``populations`` kind: import of population baselines, export of each place's
baseline with its estimated current population.

Import: one baseline per row (``place``, ``population``, ``as_of``, ``source``, ``notes``;
HXL ``#loc+code``, ``#population+num``, ``#date+baseline``, ``#meta+source``); the key is
the place, the date and the source, so a re-import replaces the figure it names. Export:
one row per place with a baseline — the latest baseline (as of today) and the estimate of
today with its low–high range and the net flow it includes (the estimate columns are not
read back: an export re-imports to the same baselines).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reliefops.core import exchange as ex
from reliefops.core.actions import Action
from reliefops.core.permissions import UNSCOPED, can_write
from reliefops.crossings import selectors, services
from reliefops.crossings.fields import POPULATION
from reliefops.crossings.filtersets import PopulationFilterSet

KEY = ("place", "as_of", "source")


class PopulationImporter(ex.Importer):
    columns = POPULATION.columns()
    permission = Action.POPULATION_EDIT
    description = "Population baselines of places (a figure, its date and its source)."
    key_columns = KEY

    def prepare(self) -> None:
        self.places: dict[str, Any] = {}
        self.existing = selectors.population_estimate_find()
        self.seen: set[Hashable] = set()

    def record_key(self, data: dict[str, Any]) -> Hashable | None:
        place, as_of, source = (data.get(k) for k in KEY)
        if place in (None, "") or source in (None, ""):
            return None
        return (ex.value_text(place), ex.value_text(as_of), source)

    def _place(self, code: str) -> Any | None:
        if code not in self.places:
            self.places[code] = selectors.lookup_place(code)
        return self.places[code]

    def lookup(self, key: Any) -> Any | None:
        place = self._place(key[0])
        if place is None:
            return None
        as_of = ex.parse_date(key[1]) if key[1] else None
        return self.existing.get((place.pk, as_of, key[2]))

    def current(self, record: Any) -> dict[str, Any]:
        return {"population": record.value, "notes": record.notes}

    def diff(self, record: Any, data: dict[str, Any]) -> dict[str, ex.Change]:
        row = dict(data)
        if row.get("notes") is None:  # no notes in the row: the stored ones stay
            row.pop("notes", None)
        return ex.changes(self.current(record), row)

    def clean(self, data: dict[str, Any], row: int) -> dict[str, Any]:
        place = self._place(data["place"])
        if place is None:
            raise ex.CellError("place", _("No place with this P-code."))
        key = self.record_key(data)
        if key in self.seen:
            raise ex.CellError("place", _("This place, date and source appear twice in the file."))
        self.seen.add(key)
        if data["as_of"] is not None and data["as_of"] > timezone.localdate():
            raise ex.CellError("as_of", _("A population figure is as of a past day."))
        if len(data["source"]) > 200:
            raise ex.CellError("source", _("At most 200 characters."))
        if not can_write(
            self.actor, Action.POPULATION_EDIT, area=place.admin1, organisation=UNSCOPED
        ):
            raise ex.CellError("place", _("You may not edit the population of this place."))
        return {**data, "place": place}

    def apply(self, rows: list[dict[str, Any]]) -> int:
        for data in rows:
            services.population_baseline_record(
                actor=self.actor,
                place=data["place"],
                value=data["population"],
                as_of=data["as_of"],
                source=data["source"],
                notes=data["notes"],
            )
        return len(rows)


class PopulationExporter(ex.Exporter):
    columns = POPULATION.columns()
    filterset = PopulationFilterSet

    def rows(self) -> Iterator[dict[str, Any]]:
        on = timezone.localdate()
        places = list(self.filtered(selectors.population_place_list(actor=self.actor)))
        estimates = selectors.population_current([p.pk for p in places], on=on)
        baselines = selectors.population_baselines(on=on)
        for place in places:
            estimate, baseline = estimates.get(place.pk), baselines.get(place.pk)
            if estimate is None or baseline is None:
                continue
            yield {
                "place": place.code,
                "area": place.admin1.code if place.admin1 is not None else "",
                "population": baseline.value,
                "as_of": baseline.as_of,
                "source": baseline.source,
                "notes": baseline.notes,
                "estimate": estimate.value,
                "estimate_low": estimate.low,
                "estimate_high": estimate.high,
                "net_flow": estimate.net_flow,
                "estimate_on": on,
            }


ex.register(
    "populations",
    importer=PopulationImporter,
    exporter=PopulationExporter,
    label=gettext_lazy("Population baselines and estimates"),
)
