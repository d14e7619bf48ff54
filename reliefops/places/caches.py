"""The one place where the caches of the places domain are dropped.

Two per-process caches are built from the database: the matcher's name index
(:mod:`reliefops.places.matching`) and the road graph with its travel matrices
(:mod:`reliefops.places.network`). Both also re-validate against a fingerprint of their
tables, so other processes' changes are seen within seconds; this module makes changes in
*this* process visible at once, the same way for every writer:

* :func:`caches_invalidate` drops a cache now (so the rest of the writing transaction reads
  its own changes) and again after the transaction commits (so an index another thread
  built from pre-commit data during the transaction does not survive it);
* row saves and deletes of the cached models reach it through the signals connected in
  :func:`connect` (signals for caches only, never business rules); bulk writers that bypass
  signals (``bulk_create``, ``update``) call it themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from reliefops.places.matching import place_index_invalidate
from reliefops.places.network import road_network_invalidate

PLACE_INDEX = "place_index"
ROAD_NETWORK = "road_network"

_DROP: dict[str, Callable[[], None]] = {
    PLACE_INDEX: place_index_invalidate,
    ROAD_NETWORK: road_network_invalidate,
}
_MODELS = {
    "Place": (PLACE_INDEX,),
    "PlaceName": (PLACE_INDEX,),
    "RoadNode": (ROAD_NETWORK,),
    "RoadSegment": (ROAD_NETWORK,),
}


def caches_invalidate(*names: str) -> None:
    """Drop the named caches now and once more when the current transaction commits."""
    for name in names:
        drop = _DROP[name]
        drop()
        transaction.on_commit(drop)


def _changed(sender: type[Any], **_: Any) -> None:
    caches_invalidate(*_MODELS[sender.__name__])


def connect() -> None:
    """Connect row saves and deletes of the cached models (called from ``AppConfig.ready``)."""
    from reliefops.places import models

    for name in _MODELS:
        model = getattr(models, name)
        post_save.connect(_changed, sender=model, dispatch_uid=f"places-cache-save-{name}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"places-cache-delete-{name}")
