"""Pages of the crossings domain: :mod:`.points` (the overview and a crossing point's
page), :mod:`.counts` (the counts list, recording and correcting a count),
:mod:`.populations` (baselines and estimated populations)."""
