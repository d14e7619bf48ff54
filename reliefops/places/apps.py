"""App configuration of the places domain: connects the cache invalidation (caches only)."""

from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "reliefops.places"
    label = "places"
    verbose_name = "Places"

    def ready(self) -> None:
        from reliefops.places import caches

        caches.connect()
