"""The reports domain writes nothing (write-scope property test, tests/core/writescope)."""

from __future__ import annotations

from tests.core.writescope import not_a_write

for name in ("reports:map", "reports:admin_areas_geojson", "reports:requests_geojson"):
    not_a_write(name, "read-only page")
