"""Bulk exchange of the crossings domain: each submodule registers its kinds.

``crossing-counts``  import and export (CSV, XLSX, HXL; field submissions): one row per
                     count, key crossing point + date + hour + direction (a re-import
                     updates, with the row's ``reason`` or "corrected by an import").
``crossing-points``  export (CSV, XLSX, HXL, GeoJSON with the point): each crossing point
                     with its catchment and the persons counted over ``days`` to ``end``.
``populations``      import of baselines (``#population`` tags; key place + as-of date +
                     source) and export of the baseline with the estimated current
                     population, its range and net flow.
"""

from reliefops.crossings.exchange import counts, populations

__all__ = ["counts", "populations"]
