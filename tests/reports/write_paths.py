"""The reports domain writes nothing (write-scope property test, tests/core/writescope):
the dashboard, its map layers and the situation report (preview and downloads, generated
on request and not stored) only read through the other apps' scoped selectors."""

from __future__ import annotations

from tests.core.writescope import not_a_write

for name in ("reports:map", "reports:admin_areas_geojson", "reports:requests_geojson"):
    not_a_write(name, "read-only page")
not_a_write("reports:dashboard", "read-only page: the report sections of a day")
not_a_write("reports:heating_geojson", "read-only map layer")
not_a_write("reports:sitrep", "generates the report on request (GET); nothing is stored")
