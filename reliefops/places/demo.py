"""Demo scenario data of the places domain (idempotent).

Admin areas, the GeoNames + scenario gazetteer, the scenario road graph and facilities.
"""

from typing import TextIO

from reliefops.places.admin_areas import admin_areas_load
from reliefops.places.gazetteer import gazetteer_seed, population_sources_load
from reliefops.places.models import Place
from reliefops.places.scenario import scenario_facilities_load, scenario_roads_load


def load(*, stdout: TextIO) -> None:
    """Load this domain's part of the demo scenario."""
    areas = admin_areas_load()
    if not Place.objects.filter(code__startswith="AZ-S").exists():
        report = gazetteer_seed(actor=None)
        stdout.write(
            f"places: {areas} admin areas, {report.places_created} places, "
            f"{report.names_written} names\n"
        )
    population_sources_load()
    roads = scenario_roads_load(actor=None)
    facilities = scenario_facilities_load(actor=None)
    stdout.write(f"places: {roads} road segments, {facilities} facilities (approximate)\n")
