"""Write paths of the places domain for the write-scope property test (tests/core/writescope)."""

from __future__ import annotations

from reliefops.places import services
from tests.core.writescope import Attempt, api, import_kind, not_a_write, page, service
from tests.core.writescope.world import point

S = "reliefops.places.services"
for name, why in {
    "text_check": "validator",
    "coordinates_check": "validator",
    "facility_existing": "read",
    "road_nodes_existing": "read",
    "road_segments_existing": "read",
    "road_row_nodes": "builds unsaved nodes",
    "place_upsert_check": "the check of place imports (driven by the places import)",
    "facility_upsert_check": "the check of facility imports (driven by that import)",
    "road_upsert_check": "the check of road imports (driven by that import)",
}.items():
    not_a_write(f"{S}.{name}", why)
for name in (
    "places:map_panel",
    "places:places_geojson",
    "places:facilities_geojson",
    "places:roads_geojson",
    "places:search",
    "places:travel",
    "places:facility_detail",
    "places:road_detail",
    "places:place_detail",
):
    not_a_write(name, "read-only page")


@service(f"{S}.place_create")
def _place_create(t: Attempt) -> None:
    lat, lon = point(t.area, 0.1)
    services.place_create(
        actor=t.actor,
        code=f"AZ-NEW{t.area}",
        kind="village",
        latitude=lat,
        longitude=lon,
        names=[services.NameInput("New", "en")],
    )


@service(f"{S}.place_name_add")
def _place_name_add(t: Attempt) -> None:
    services.place_name_add(
        actor=t.actor, place=t.world.place[t.area], name=services.NameInput("Alias", "en")
    )


@service(f"{S}.population_estimate_add")
def _population(t: Attempt) -> None:
    services.population_estimate_add(
        actor=t.actor, place=t.world.place[t.area], value=100, as_of=None, source="probe"
    )


@service(f"{S}.place_upsert_bulk")
def _place_upsert(t: Attempt) -> None:
    lat, lon = point(t.to, 0.1)
    place = t.world.place[t.area]
    services.place_upsert_bulk(
        actor=t.actor,
        rows=[
            {
                "code": place.code,
                "kind": "town",
                "latitude": lat,
                "longitude": lon,
                "names": [services.NameInput("Moved", "en")],
            }
        ],
    )


def facility_row(t: Attempt) -> dict[str, object]:
    facility, place = t.world.facility[t.area], t.world.place[t.to]
    return {
        "code": facility.code,
        "kind": "hospital",
        "place": place,
        "latitude": place.latitude,
        "longitude": place.longitude,
        "status": "closed",
        "status_reason": "probe",
        "names": {"en": "Moved"},
    }


@service(f"{S}.facility_upsert_bulk")
def _facility_upsert(t: Attempt) -> None:
    services.facility_upsert_bulk(actor=t.actor, rows=[facility_row(t)])


@service(f"{S}.facility_set_status")
def _facility_status(t: Attempt) -> None:
    services.facility_set_status(
        actor=t.actor, facility=t.world.facility[t.area], status="closed", reason="probe"
    )


@service(f"{S}.road_segment_set_status")
def _road_status(t: Attempt) -> None:
    services.road_segment_set_status(
        actor=t.actor, segment=t.world.segment[t.area], status="closed", reason="probe"
    )


def road_row(t: Attempt) -> dict[str, object]:
    """Re-point segment ``t.area`` to two new nodes without a place at ``t.to``."""
    (alat, alon), (blat, blon) = point(t.to, 0.3), point(t.to, 0.4)
    return {
        "code": t.world.segment[t.area].code,
        "from_node": f"NEW-A-{t.to}",
        "from_lat": alat,
        "from_lon": alon,
        "to_node": f"NEW-B-{t.to}",
        "to_lat": blat,
        "to_lon": blon,
        "length_km": 3.0,
        "status": "closed",
        "status_reason": "probe",
    }


@service(f"{S}.road_upsert_bulk")
def _road_upsert(t: Attempt) -> None:
    services.road_upsert_bulk(actor=t.actor, rows=[road_row(t)])


@api("POST /api/v1/facilities/{code}/status/")
def _api_facility_status(t: Attempt) -> None:
    t.api.post(
        f"/api/v1/facilities/{t.world.facility[t.area].code}/status/",
        {"status": "damaged", "reason": "probe"},
        format="json",
    )


@api("POST /api/v1/road-segments/{code}/status/")
def _api_road_status(t: Attempt) -> None:
    t.api.post(
        f"/api/v1/road-segments/{t.world.segment[t.area].code}/status/",
        {"status": "closed", "reason": "probe"},
        format="json",
    )


@service(f"{S}.place_update")
def _place_update(t: Attempt) -> None:
    lat, lon = point(t.to, 0.1)
    services.place_update(
        actor=t.actor, place=t.world.place[t.area], kind="town", latitude=lat, longitude=lon
    )


@service(f"{S}.facility_update")
def _facility_update(t: Attempt) -> None:
    place = t.world.place[t.to]
    services.facility_update(
        actor=t.actor,
        facility=t.world.facility[t.area],
        place=place,
        names={"en": "Moved"},
        values={"latitude": place.latitude, "longitude": place.longitude, "capacity_beds": 9},
    )


@page("places:place_edit")
def _page_place_edit(t: Attempt) -> None:
    lat, lon = point(t.to, 0.1)
    t.page.post(
        f"/places/{t.world.place[t.area].code}/edit/",
        {"form": "place", "place-kind": "town", "place-latitude": lat, "place-longitude": lon},
    )


@page("places:facility_edit")
def _page_facility_edit(t: Attempt) -> None:
    place = t.world.place[t.to]
    t.page.post(
        f"/places/facilities/{t.world.facility[t.area].code}/edit/",
        {
            "form": "facility",
            "facility-name_en": "Moved",
            "facility-place": place.code,
            "facility-kind": "hospital",
            "facility-latitude": place.latitude,
            "facility-longitude": place.longitude,
        },
    )


@page("places:road_status")
def _page_road_status(t: Attempt) -> None:
    t.page.post(
        f"/places/roads/{t.world.segment[t.area].code}/status/",
        {"status": "restricted", "reason": "probe"},
    )


@import_kind("places")
def _import_places(t: Attempt) -> str:
    lat, lon = point(t.to, 0.1)
    return f"code,kind,name_en,lat,lon\n{t.world.place[t.area].code},town,Moved,{lat},{lon}\n"


@import_kind("facilities")
def _import_facilities(t: Attempt) -> str:
    return (
        "code,kind,place,status,status_reason\n"
        f"{t.world.facility[t.area].code},hospital,{t.world.place[t.to].code},closed,probe\n"
    )


@import_kind("roads")
def _import_roads(t: Attempt) -> str:
    row = road_row(t)
    columns = ["code", "from_node", "from_lat", "from_lon", "to_node", "to_lat", "to_lon"]
    columns += ["length_km", "status", "status_reason"]
    return ",".join(columns) + "\n" + ",".join(str(row[c]) for c in columns) + "\n"
