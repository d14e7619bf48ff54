"""Demo scenario data of the crossings domain (idempotent): the Lachin crossing point's
flows towards Goris over 24–30 September 2023 and the baselines they move.

* The Lachin crossing point (``F-LAC-CP``, on the Lachin–Goris road) gets its setting:
  its catchment is the Karabakh areas of the scenario (:data:`CATCHMENT`, the areas the
  needs demo serves, with Khojavend), outbound reads "towards Goris".
* Daily counts in both directions, 24–30 September 2023 of the scenario (moved with the
  scenario's calendar, ``core.demo.scenario_date``, like every operational date): about
  100,000 persons outbound in the week, most of them on 26–28 September, a few hundred
  inbound. **The figures are synthetic** — modelled on the size and shape of the outflow
  publicly reported, not counts anyone made — and say so in their source and notes. On
  the three busiest days they are observers' estimates (not broken down), on the other
  days head counts broken down by sex and age band with a synthetic profile.
* Places of the scenario in the catchment that have no population figure get a synthetic
  baseline (dated 1 September 2023, labelled as such); figures already loaded (the 2015
  census for Khankendi, GeoNames') are kept.

The estimated populations (and so the Sphere needs of the gap analysis) follow from these
through ``crossings.selectors.population_current``; the needs demo runs after this one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any, TextIO

from django.db import transaction

from reliefops.accounts.models import User
from reliefops.core.demo import scenario_date
from reliefops.core.demography import AgeBand, Sex
from reliefops.crossings import services
from reliefops.crossings.choices import cell_field
from reliefops.crossings.models import CrossingCount
from reliefops.organisations.models import Organisation
from reliefops.places.models import AdminArea, Facility, Place, PopulationEstimate

POINT = "F-LAC-CP"
#: The scenario's Karabakh areas (those of the needs demo's food requests) and Khojavend.
CATCHMENT = ("AZ-XA", "AZ-XCI", "AZ-XVD", "AZ-AGM", "AZ-SUS", "AZ-LAC", "AZ-TAR")
OUTBOUND_LABELS = {
    "en": "towards Goris",
    "az": "Gorus istiqamətində",
    "ru": "в сторону Гориса",
    "hy": "դեպի Գորիս",
}
INBOUND_LABELS = {"en": "from Goris", "az": "Gorusdan", "ru": "со стороны Гориса", "hy": "Գորիսից"}
COUNTER = "UNHA"  # the scenario's UN humanitarian agency runs the flow monitoring
MARK = "ReliefOps demo: synthetic figures"
SOURCE = f"{MARK} (flow monitoring at the crossing point, modelled on public reporting)"
#: Scenario day → (persons outbound, persons inbound, method of the outbound figure).
DAYS: dict[dt.date, tuple[int, int, str]] = {
    dt.date(2023, 9, 24): (2850, 60, "count"),
    dt.date(2023, 9, 25): (9600, 110, "count"),
    dt.date(2023, 9, 26): (19700, 140, "estimate"),
    dt.date(2023, 9, 27): (23400, 150, "estimate"),
    dt.date(2023, 9, 28): (21300, 130, "estimate"),
    dt.date(2023, 9, 29): (14200, 120, "count"),
    dt.date(2023, 9, 30): (8950, 90, "count"),
}
#: The synthetic profile of the persons counted: share per sex and per age band.
SEX_SHARE = {Sex.FEMALE: 0.53, Sex.MALE: 0.47}
BAND_SHARE = {
    AgeBand.B0_4: 0.07,
    AgeBand.B5_17: 0.21,
    AgeBand.B18_59: 0.50,
    AgeBand.B60_69: 0.11,
    AgeBand.B70_PLUS: 0.11,
}
PERSONS_PER_VEHICLE = 4.5
BASELINE_DAY = dt.date(2023, 9, 1)
BASELINE_SOURCE = "ReliefOps demo: synthetic baseline (not a census)"
BASELINE_NOTES = (
    "A synthetic planning figure of the demo scenario, before the movements of late "
    "September 2023; replace it with a sourced figure."
)


def cells_of(total: int) -> dict[str, int]:
    """``total`` split over sex × age band by the synthetic profile (largest remainder,
    so the cells add up to the total exactly)."""
    shares = {
        cell_field(sex, band): SEX_SHARE[sex] * BAND_SHARE[band]
        for sex in SEX_SHARE
        for band in BAND_SHARE
    }
    exact = {name: total * share for name, share in shares.items()}
    cells = {name: int(value) for name, value in exact.items()}
    left = total - sum(cells.values())
    for name in sorted(exact, key=lambda n: exact[n] - cells[n], reverse=True)[:left]:
        cells[name] += 1
    return cells


def _synthetic_size(place: Place) -> int:
    """A stable synthetic population for a scenario place without one (towns 2,500–4,500,
    villages and sites 250–1,450), from its code."""
    digest = int(hashlib.sha256(place.code.encode()).hexdigest()[:8], 16)
    if place.kind == "town":
        return 2500 + 100 * (digest % 21)
    return 250 + 50 * (digest % 25)


def _notes(day: dt.date) -> str:
    return (
        f"{MARK}: modelled on the outflow of 24–30 September 2023 (about 100,000 people in "
        f"a week, most on 26–28 September); not a real count. Scenario day {day:%d %B %Y}."
    )


def _counts(actor: Any, point: Facility, counter: Organisation) -> int:
    if CrossingCount.objects.filter(crossing_point=point, notes__startswith=MARK).exists():
        return 0
    written = 0
    for day, (outbound, inbound, method) in DAYS.items():
        for direction, persons, how in (
            ("outbound", outbound, method),
            ("inbound", inbound, "count"),
        ):
            broken_down = how == "count"
            result = services.crossing_count_record(
                actor=actor,
                data=services.CountInput(
                    crossing_point=point,
                    date=scenario_date(day),
                    direction=direction,
                    cells=cells_of(persons) if broken_down else {},
                    persons=None if broken_down else persons,
                    vehicles=round(persons / PERSONS_PER_VEHICLE),
                    organisation=counter,
                    source=SOURCE,
                    method=how,
                    notes=_notes(day),
                ),
            )
            written += result.outcome == services.CREATED
    return written


def _baselines(actor: Any, areas: list[AdminArea]) -> int:
    have = set(PopulationEstimate.objects.values_list("place_id", flat=True))
    written = 0
    for place in Place.objects.filter(
        code__startswith="AZ-S", admin1__in=areas, kind__in=["town", "village"]
    ).order_by("code"):
        if place.pk in have:
            continue
        services.population_baseline_record(
            actor=actor,
            place=place,
            value=_synthetic_size(place),
            as_of=BASELINE_DAY,
            source=BASELINE_SOURCE,
            notes=BASELINE_NOTES,
        )
        written += 1
    return written


@transaction.atomic
def load(*, stdout: TextIO) -> None:
    """Load this domain's part of the demo scenario."""
    point = Facility.objects.filter(code=POINT).select_related("place__admin1").first()
    coordinator = User.objects.filter(username="coordinator").first()
    counter = Organisation.objects.filter(acronym=COUNTER).first()
    if point is None or coordinator is None or counter is None:
        stdout.write("crossings: no Lachin crossing point, coordinator or UNHA: skipped\n")
        return
    areas = list(AdminArea.objects.filter(code__in=CATCHMENT))
    services.crossing_point_setting_set(
        actor=coordinator,
        crossing_point=point,
        catchment=areas,
        outbound_labels=OUTBOUND_LABELS,
        inbound_labels=INBOUND_LABELS,
    )
    baselines = _baselines(coordinator, areas)
    counts = _counts(coordinator, point, counter)
    outbound = sum(v[0] for v in DAYS.values())
    stdout.write(
        f"crossings: {POINT} catchment {', '.join(sorted(a.code for a in areas))}; "
        f"{counts} daily counts written ({outbound:,} persons towards Goris, synthetic); "
        f"{baselines} synthetic baselines\n"
    )
