"""The driver's road page works offline (docs/offline.md): a phone keeps it, and the
passages and deliveries recorded on it wait in the browser until they can be sent
(``reliefops.core.offline``)."""

from reliefops.core.offline import offline_page

offline_page(
    "logistics:convoy_road",
    args=("code",),
    assets=("logistics/logistics.css", "logistics/road.js", "logistics/road-offline.js"),
)
