"""The payload reader and the mapping engine on their own: one flat shape from Kobo's
flat keys, ODK Central's nested groups and an OpenRosa XML; metadata; transforms; errors
naming source and target; mappings checked when saved."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from reliefops.intake.kobo import payloads
from reliefops.intake.kobo.mapping import AnswerInvalid, FormMapping, MappingInvalid, Meta
from tests.intake.kobo_world import FORMS, payload, payload_bytes

HOME_VISIT_MAPPING = json.loads((FORMS / "home_visit.mapping.json").read_text())["mapping"]


def test_kobo_odk_and_openrosa_bodies_flatten_to_the_same_paths() -> None:
    kobo = payloads.received_read(payload("kobo_home_visit"))
    odk = payloads.received_read(payload("odk_home_visit"))
    answers, form_id, version = payloads.xml_body_parse(payload_bytes("openrosa_home_visit.xml"))
    xml = payloads.received_read(answers, form_id=form_id, form_version=version, shape="openrosa")
    paths = {
        "visit/person_ref",
        "visit/team_code",
        "visit/outcome",
        "services/given",
        "follow_up/due",
    }
    for received in (kobo, odk, xml):
        assert paths <= set(received.answers), received.shape
    assert (kobo.shape, odk.shape, xml.shape) == ("kobo", "odk", "openrosa")
    assert xml.answers["visit/person_ref"] == "P-XML1" and xml.answers["visit/stop"] == ""
    assert (xml.form_id, xml.form_version) == ("reliefops_home_visit", "2023092501")
    assert odk.answers["visit/stop"] == 1  # ODK sends numbers; Kobo sends text
    assert odk.answers["location"]["type"] == "Point"  # a GeoJSON point stays one value


def test_metadata_of_the_three_shapes() -> None:
    kobo = payloads.received_read(payload("kobo_home_visit_edit"))
    original = payload("kobo_home_visit")
    assert kobo.instance_id == payload("kobo_home_visit_edit")["meta/instanceID"]
    assert kobo.deprecated_id == original["meta/instanceID"]
    assert kobo.submitted_by == "mmt_health_1"
    assert kobo.submitted_at == dt.datetime(2023, 9, 27, 6, 3, 5, tzinfo=dt.UTC)
    assert kobo.form_id == "aTq7wJd3Pn8sVkYe2LmRcX" and kobo.form_version.startswith("v")
    assert kobo.attachments[0].mimetype == "image/jpeg"
    assert kobo.attachments[0].name == "1695794520123.jpg"
    assert kobo.geolocation == (39.8177, 46.7528)
    odk = payloads.received_read(payload("odk_home_visit_edit"))
    assert odk.first_id == payload("odk_home_visit")["__id"]  # Central keeps the first id
    assert odk.deprecated_id == payload("odk_home_visit")["meta"]["instanceID"]
    assert (odk.submitted_by, odk.form_version, odk.attachments_expected) == (
        "mmt-health-2",
        "2023092501",
        0,
    )
    assert odk.submitted_at == dt.datetime(2023, 9, 28, 7, 12, 44, 318000, tzinfo=dt.UTC)
    # Kobo's _uuid (no prefix) and meta/instanceID (prefixed, upper case) are one id
    bare = payloads.received_read({"_uuid": "4504BEC7-D919-472C-87C7-316E8AF8A706"})
    assert bare.instance_id == "uuid:4504bec7-d919-472c-87c7-316e8af8a706"


@pytest.mark.parametrize(
    ("value", "point"),
    [
        ("39.8177 46.7528 1225.0 4.8", (39.8177, 46.7528)),
        ([39.8177, 46.7528], (39.8177, 46.7528)),
        ({"type": "Point", "coordinates": [46.7528, 39.8177, 1225]}, (39.8177, 46.7528)),
        ("POINT (46.7528 39.8177 1225)", (39.8177, 46.7528)),
        ([None, None], None),
        ("", None),
    ],
)
def test_geopoints_in_every_shape(value: object, point: object) -> None:
    assert payloads.geopoint_parse(value) == point


def test_geopoint_out_of_range_or_garbage() -> None:
    for value in ("91 10", "north", {"type": "Point", "coordinates": [1]}, 5):
        with pytest.raises(ValueError):
            payloads.geopoint_parse(value)


def meta(**kwargs: object) -> Meta:
    return Meta(instance_id="uuid:a", root_id="uuid:r", record_id="rec-1", **kwargs)  # type: ignore[arg-type]


def test_the_home_visit_mapping_on_a_kobo_and_an_odk_body() -> None:
    mapping = FormMapping.parse(HOME_VISIT_MAPPING)
    data = mapping.apply(payloads.received_read(payload("kobo_home_visit")).answers, meta())
    assert data == {
        "id": "rec-1",
        "person": "P-KOBO1",
        "team": "MMT-KB",
        "round": None,
        "sequence": None,
        "visited_at": "2023-09-27T10:00:00+04:00",
        "outcome": "visited",
        "services": ["consultation", "medication_refill"],
        "follow_up_due": "2023-10-04",
    }
    odk = mapping.apply(payloads.received_read(payload("odk_home_visit")).answers, meta())
    assert (odk["outcome"], odk["sequence"], odk["services"]) == ("not_at_home", 1, None)
    assert odk["visited_at"] == "2023-09-28T10:48:39.560000+04:00"  # falls back to "end"
    assert mapping.location(payloads.received_read(payload("odk_home_visit")).answers) == (
        39.8203,
        46.7561,
    )


def test_transforms() -> None:
    mapping = FormMapping.parse(
        {
            "fields": {
                "a": {"constant": "count"},
                "b": {"source": "g/n", "transform": "integer"},
                "c": {"source": "g/d", "transform": "decimal"},
                "d": {"source": "g/yes", "transform": "boolean"},
                "e": {"source": "g/when", "transform": "datetime", "timezone": "UTC"},
                "f": {
                    "source": "g/many",
                    "transform": "select_multiple",
                    "values": {"x": "ex", "y": ["why", "ex"]},
                },
                "g": {"source": "g/loc", "transform": "latitude"},
                "h": {"source": "g/loc", "transform": "longitude"},
                "i": {"source": ["g/missing", "$submitted_by"]},
                "j": {"source": "g/missing", "default": "fallback"},
                "k": {
                    "source": "g/one",
                    "transform": "choice",
                    "values": {"a": "alpha"},
                    "strict": False,
                },
            }
        }
    )
    answers = {
        "g/n": "12",
        "g/d": "3,50",
        "g/yes": "yes",
        "g/when": "2023-09-27 10:15",
        "g/many": "x y",
        "g/loc": "40.1 46.7 0 5",
        "g/one": "b",
    }
    data = mapping.apply(answers, meta(submitted_by="mmt_health_1"))
    assert data == {
        "a": "count",
        "b": 12,
        "c": "3.5",
        "d": True,
        "e": "2023-09-27T10:15:00+00:00",
        "f": ["ex", "why"],
        "g": 40.1,
        "h": 46.7,
        "i": "mmt_health_1",
        "j": "fallback",
        "k": "b",
    }


def test_every_problem_names_source_and_target() -> None:
    mapping = FormMapping.parse(HOME_VISIT_MAPPING)
    answers = payloads.received_read(payload("kobo_home_visit")).answers
    answers = {**answers, "visit/stop": "2.5", "follow_up/due": "soon", "visit/outcome": "maybe"}
    del answers["visit/team_code"]
    with pytest.raises(AnswerInvalid) as refused:
        mapping.apply(answers, meta())
    errors = {e["field"]: e["source"] for e in refused.value.details["errors"]}
    assert errors == {
        "team": "visit/team_code",
        "sequence": "visit/stop",
        "outcome": "visit/outcome",
        "follow_up_due": "follow_up/due",
    }
    assert refused.value.message.startswith("visit/team_code → team:")


def test_a_mapping_is_checked_when_saved() -> None:
    with pytest.raises(MappingInvalid) as bad:
        FormMapping.parse(
            {
                "fields": {
                    "person": {"source": "p", "transform": "upper"},
                    "nope": "x",
                    "team": {"transform": "text"},
                    "round": {"source": "$secret"},
                    "outcome": {"source": "o", "values": ["a"]},
                },
                "extra": 1,
            },
            columns=["person", "team", "round", "outcome"],
        )
    problems = " ".join(bad.value.details["problems"])
    for words in ("upper", "nope", "source", "$secret", "values", "extra"):
        assert words in problems
    with pytest.raises(MappingInvalid):
        FormMapping.parse({"fields": {}})
    with pytest.raises(MappingInvalid):
        FormMapping.parse([1])


@pytest.mark.django_db
def test_place_names_resolve_through_the_one_place_resolver() -> None:
    from tests.places.factories import AdminAreaFactory
    from tests.stock.factories import PlaceFactory

    area = AdminAreaFactory(code="KB-P")
    place = PlaceFactory(
        code="KB-XAN", admin1=area, names={"en": "Khankendi", "az": "Xankəndi", "ru": "Ханкенди"}
    )
    from reliefops.places.matching import place_index_invalidate
    from reliefops.places.models import PlaceName

    for language, name in place.names.items():
        PlaceName.objects.create(place=place, name=name, language=language, name_type="official")

    place_index_invalidate()
    mapping = FormMapping.parse({"fields": {"place": {"source": "where", "transform": "place"}}})
    for spelling in ("Xankəndi", "Ханкенди", "khankendi", "KB-XAN"):
        assert mapping.apply({"where": spelling}, meta()) == {"place": "KB-XAN"}
    with pytest.raises(AnswerInvalid) as unknown:
        mapping.apply({"where": "Xyzzyville"}, meta())
    assert unknown.value.details["errors"][0]["source"] == "where"
    assert "Xyzzyville" in unknown.value.details["errors"][0]["message"]
