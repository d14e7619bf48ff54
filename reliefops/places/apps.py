"""App configuration of the places domain: cache-invalidation signals (caches only)."""

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class PlacesConfig(AppConfig):
    name = "reliefops.places"
    label = "places"
    verbose_name = "Places"

    def ready(self) -> None:
        from reliefops.places.matching import place_index_invalidate
        from reliefops.places.models import Place, PlaceName, RoadNode, RoadSegment
        from reliefops.places.network import road_network_invalidate

        models: tuple[type[Any], ...] = (Place, PlaceName)
        for model in models:
            post_save.connect(place_index_invalidate, sender=model, dispatch_uid=f"idx-{model}")
            post_delete.connect(place_index_invalidate, sender=model, dispatch_uid=f"idx-d{model}")
        models = (RoadNode, RoadSegment)
        for model in models:
            post_save.connect(road_network_invalidate, sender=model, dispatch_uid=f"net-{model}")
            post_delete.connect(road_network_invalidate, sender=model, dispatch_uid=f"net-d{model}")
