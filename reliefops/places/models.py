"""Gazetteer: administrative areas, places, names, facilities, roads."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from reliefops.core.i18n import localized
from reliefops.core.models import BaseModel
from reliefops.places.choices import (
    HEATED_FACILITY_KINDS,
    FacilityKind,
    FacilityStatus,
    HeatingFuel,
    NameType,
    NodeKind,
    PlaceKind,
    RoadCondition,
    RoadStatus,
    RoadSurface,
    Script,
    VehicleClass,
)


class AdminArea(BaseModel):
    """An administrative area: country (level 0), ISO 3166-2 subdivision (1), below (2, 3).

    ``geometry`` is a GeoJSON geometry; for areas loaded from ISO 3166-2 it is an
    approximate outline (see ``reliefops/places/admin_areas.py``), not a boundary claim.
    """

    code = models.CharField(_("code"), max_length=32, unique=True)
    level = models.PositiveSmallIntegerField(_("level"))
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    names = models.JSONField(_("names"), default=dict)
    kind = models.CharField(_("kind"), max_length=64, blank=True)
    geonames_admin1 = models.CharField(
        _("GeoNames admin1 code"), max_length=16, blank=True, db_index=True
    )
    geometry = models.JSONField(_("geometry"), null=True, blank=True)
    centroid_lat = models.FloatField(_("latitude"), null=True, blank=True)
    centroid_lon = models.FloatField(_("longitude"), null=True, blank=True)

    class Meta:
        ordering = ["level", "code"]
        verbose_name = _("administrative area")
        verbose_name_plural = _("administrative areas")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def name(self) -> str:
        return localized(self.names) or self.code


# --------------------------------------------------------------------------------------
# Places, names, population, facilities, road network (issue 4). Codes are documented in
# docs/places.md ("Place codes").
# --------------------------------------------------------------------------------------


class Place(BaseModel):
    """A populated place or site with a stable P-code and any number of names.

    ``names`` is a denormalised ``{language: name}`` map of the preferred name per
    language, kept in step with :class:`PlaceName` by the services; pages use it (through
    :func:`reliefops.core.i18n.localized`) to avoid a query per row. ``admin0``..``admin2``
    are the areas the place lies in at each level (``admin1`` is the scoping field).
    """

    code = models.CharField(_("P-code"), max_length=32, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=PlaceKind.choices)
    names = models.JSONField(_("names"), default=dict, blank=True)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    admin0 = models.ForeignKey(
        AdminArea,
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    admin1 = models.ForeignKey(
        AdminArea,
        verbose_name=_("admin level 1"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="places",
    )
    admin2 = models.ForeignKey(
        AdminArea,
        verbose_name=_("admin level 2"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    geonames_id = models.PositiveIntegerField(_("GeoNames id"), null=True, blank=True, unique=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("place")
        verbose_name_plural = _("places")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__gte=-90, latitude__lte=90)
                & models.Q(longitude__gte=-180, longitude__lte=180),
                name="place_coordinates_in_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def name(self) -> str:
        return localized(self.names) or self.code

    def name_in(self, lang: str | None) -> str:
        return localized(self.names, lang) or self.code


class PlaceName(BaseModel):
    """One name of a place: no name is "the right one"; each carries language and source."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="place_names")
    name = models.CharField(_("name"), max_length=200)
    language = models.CharField(_("language (BCP-47)"), max_length=16, blank=True)
    script = models.CharField(_("script"), max_length=4, choices=Script.choices, blank=True)
    name_type = models.CharField(
        _("type"), max_length=16, choices=NameType.choices, default=NameType.ALTERNATE
    )
    is_preferred = models.BooleanField(_("preferred in its language"), default=False)
    source = models.CharField(_("source"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["place", "language", "-is_preferred", "name"]
        verbose_name = _("place name")
        verbose_name_plural = _("place names")
        constraints = [
            models.UniqueConstraint(
                fields=["place", "name", "language"], name="place_name_unique_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.language or '-'}, {self.get_name_type_display()})"


class PopulationEstimate(BaseModel):
    """A population figure for a place, from a named source, on a date when the source gives one."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="population_estimates")
    value = models.PositiveIntegerField(_("population"))
    as_of = models.DateField(_("as of"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["place", "-as_of"]
        verbose_name = _("population estimate")
        verbose_name_plural = _("population estimates")
        constraints = [
            models.UniqueConstraint(
                fields=["place", "as_of", "source"], name="population_estimate_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.place_id} {self.value} ({self.as_of}, {self.source})"


class Facility(BaseModel):
    """A building or site that serves people: school, hospital, warehouse, crossing point ...

    Capacities: ``capacity_pupils`` (schools, kindergartens), ``capacity_beds`` (health),
    ``capacity_people`` (shelters, crossing points: people per day). Heating data (for the
    heating-fuel estimator): heated floor area in m², fuel, boiler rating in kW, boiler
    efficiency as a fraction (0-1], fuel tank capacity in litres.
    """

    code = models.CharField(_("code"), max_length=32, unique=True)
    names = models.JSONField(_("names"), default=dict, blank=True)
    kind = models.CharField(_("kind"), max_length=24, choices=FacilityKind.choices)
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="facilities")
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    operator = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("operator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="facilities",
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=FacilityStatus.choices,
        default=FacilityStatus.OPERATING,
    )
    status_reason = models.CharField(_("status reason"), max_length=300, blank=True)
    status_since = models.DateTimeField(_("status since"), null=True, blank=True)
    capacity_pupils = models.PositiveIntegerField(_("pupils"), null=True, blank=True)
    capacity_beds = models.PositiveIntegerField(_("beds"), null=True, blank=True)
    capacity_people = models.PositiveIntegerField(_("people"), null=True, blank=True)
    heated_area_m2 = models.FloatField(_("heated floor area (m²)"), null=True, blank=True)
    heating_fuel = models.CharField(
        _("heating fuel"), max_length=16, choices=HeatingFuel.choices, blank=True
    )
    boiler_kw = models.FloatField(_("boiler rating (kW)"), null=True, blank=True)
    boiler_efficiency = models.FloatField(_("boiler efficiency (0-1)"), null=True, blank=True)
    tank_capacity_litres = models.FloatField(_("tank capacity (litres)"), null=True, blank=True)
    operating_hours = models.CharField(_("operating hours"), max_length=100, blank=True)
    notice_hours = models.PositiveSmallIntegerField(
        _("notice needed (hours)"),
        null=True,
        blank=True,
        help_text=_("Crossing points: how many hours before a convoy passes it must be notified."),
    )
    notice_to = models.CharField(
        _("notify"),
        max_length=200,
        blank=True,
        help_text=_("Crossing points: who is notified, and how (liaison office, phone, e-mail)."),
    )
    source = models.CharField(_("source"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__gte=-90, latitude__lte=90)
                & models.Q(longitude__gte=-180, longitude__lte=180),
                name="facility_coordinates_in_range",
            ),
            models.CheckConstraint(
                condition=models.Q(boiler_efficiency__isnull=True)
                | models.Q(boiler_efficiency__gt=0, boiler_efficiency__lte=1),
                name="facility_boiler_efficiency_fraction",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def name(self) -> str:
        return localized(self.names) or self.code

    @property
    def is_heated(self) -> bool:
        return self.kind in HEATED_FACILITY_KINDS


class RoadNode(BaseModel):
    """A vertex of the road network: a place (its access point) or a junction."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=NodeKind.choices)
    place = models.ForeignKey(
        Place, null=True, blank=True, on_delete=models.SET_NULL, related_name="road_nodes"
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    osm_id = models.BigIntegerField(_("OSM node id"), null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("road node")
        verbose_name_plural = _("road nodes")

    def __str__(self) -> str:
        return f"{self.code} {self.name}".strip()


class RoadSegment(BaseModel):
    """A stretch of road between two nodes, travelled both ways unless ``oneway``.

    Lengths in km, speeds in km/h per vehicle class (travel time = length / speed). A
    ``closed`` segment is left out of the network; ``restricted`` stays usable (the reason
    says what is restricted) — the matrix service documents this.
    """

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    ref = models.CharField(_("road number"), max_length=40, blank=True)
    from_node = models.ForeignKey(RoadNode, on_delete=models.PROTECT, related_name="+")
    to_node = models.ForeignKey(RoadNode, on_delete=models.PROTECT, related_name="+")
    length_km = models.FloatField(_("length (km)"))
    speed_light_kmh = models.FloatField(_("speed, light vehicles (km/h)"), default=60)
    speed_truck_kmh = models.FloatField(_("speed, trucks (km/h)"), default=45)
    speed_heavy_kmh = models.FloatField(_("speed, heavy trucks (km/h)"), default=35)
    surface = models.CharField(
        _("surface"), max_length=16, choices=RoadSurface.choices, default=RoadSurface.PAVED
    )
    condition = models.CharField(
        _("condition"), max_length=16, choices=RoadCondition.choices, default=RoadCondition.FAIR
    )
    max_weight_t = models.FloatField(_("max weight (t)"), null=True, blank=True)
    oneway = models.BooleanField(_("one way"), default=False)
    status = models.CharField(
        _("status"), max_length=16, choices=RoadStatus.choices, default=RoadStatus.OPEN
    )
    status_reason = models.CharField(_("status reason"), max_length=300, blank=True)
    status_since = models.DateTimeField(_("status since"), null=True, blank=True)
    geometry = models.JSONField(_("geometry"), null=True, blank=True)
    osm_way_id = models.BigIntegerField(_("OSM way id"), null=True, blank=True, db_index=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("road segment")
        verbose_name_plural = _("road segments")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(length_km__gt=0), name="road_segment_length_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    speed_light_kmh__gt=0, speed_truck_kmh__gt=0, speed_heavy_kmh__gt=0
                ),
                name="road_segment_speeds_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}".strip()

    def speed_kmh(self, vehicle_class: str) -> float:
        return {
            VehicleClass.LIGHT: self.speed_light_kmh,
            VehicleClass.TRUCK: self.speed_truck_kmh,
            VehicleClass.HEAVY: self.speed_heavy_kmh,
        }[VehicleClass(vehicle_class)]


class Route(BaseModel):
    """A named route: an ordered list of segments ("Lachin–Khankendi road")."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    names = models.JSONField(_("names"), default=dict, blank=True)
    segments = models.ManyToManyField(RoadSegment, through="RouteSegment", related_name="routes")
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("route")
        verbose_name_plural = _("routes")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def name(self) -> str:
        return localized(self.names) or self.code


class RouteSegment(models.Model):
    route = models.ForeignKey(Route, on_delete=models.CASCADE, related_name="route_segments")
    segment = models.ForeignKey(RoadSegment, on_delete=models.PROTECT, related_name="+")
    sequence = models.PositiveIntegerField(_("sequence"))

    class Meta:
        ordering = ["route", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["route", "sequence"], name="route_segment_sequence")
        ]

    def __str__(self) -> str:
        return f"{self.route_id}#{self.sequence}"
