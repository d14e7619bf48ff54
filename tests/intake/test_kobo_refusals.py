"""Malformed or unauthorised submissions to the webhook: a 4xx in the error format with
the reason, and nothing created — no visit, no submission, no instance, no audit event
(counted before and after); the refusal is noted on the form link for its page."""

from __future__ import annotations

import base64
import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from PIL import Image

from reliefops.accounts.choices import Role
from reliefops.core.models import AuditEvent
from reliefops.intake.kobo.services import form_link_save
from reliefops.intake.models import FormInstance, FormLink, Submission
from reliefops.teams.models import Visit
from tests.accounts.factories import make_user
from tests.intake.kobo_world import KoboWorld, build_world, payload, payload_bytes

pytestmark = pytest.mark.django_db
URL = "/api/v1/kobo/home-visit/"


@pytest.fixture
def world() -> KoboWorld:
    return build_world()


def rows() -> tuple[int, int, int, int]:
    return (
        Visit.objects.count(),
        Submission.objects.count(),
        FormInstance.objects.count(),
        AuditEvent.objects.count(),
    )


def post(world: KoboWorld, body: Any, *, key: str = "home-visit", auth: str | None = None) -> Any:
    data = body if isinstance(body, (bytes, str)) else json.dumps(body)
    headers = {"HTTP_AUTHORIZATION": auth if auth is not None else f"Token {world.secrets[key]}"}
    if auth == "":
        headers = {}
    return Client().post(
        f"/api/v1/kobo/{key}/", data=data, content_type="application/json", **headers
    )


def changed(**edits: Any) -> dict[str, Any]:
    body = payload("kobo_home_visit")
    for key, value in edits.items():
        path = key.replace("__", "/")
        if value is None:
            body.pop(path, None)
        else:
            body[path] = value
    return body


def error(response: Any) -> dict[str, Any]:
    body = response.json()
    assert set(body) == {"error"}, body
    assert {"code", "message", "details"} <= set(body["error"])
    return dict(body["error"])


CASES: list[tuple[str, Callable[[KoboWorld], Any], int, str]] = [
    ("not JSON", lambda w: post(w, b"{visit/person_ref: P-KOBO1"), 400, "not_json"),
    ("not an object", lambda w: post(w, [payload("kobo_home_visit")]), 400, "not_an_object"),
    ("not UTF-8", lambda w: post(w, b'{"a": "\xff\xfe"}'), 400, "not_json"),
    (
        "unknown form key",
        lambda w: post(w, payload("kobo_home_visit"), key="no-such-form", auth="Token x"),
        404,
        "form_unknown",
    ),
    (
        "no secret",
        lambda w: post(w, payload("kobo_home_visit"), auth=""),
        403,
        "form_secret_invalid",
    ),
    (
        "wrong secret",
        lambda w: post(w, payload("kobo_home_visit"), auth="Token wrong"),
        403,
        "form_secret_invalid",
    ),
    (
        "a user's API token is no form secret",
        lambda w: post(w, payload("kobo_home_visit"), auth="Token " + "a" * 40),
        403,
        "form_secret_invalid",
    ),
    (
        "no instance id",
        lambda w: post(w, changed(meta__instanceID=None, _uuid=None)),
        400,
        "instance_id_missing",
    ),
    (
        "required answer missing",
        lambda w: post(w, changed(visit__person_ref=None)),
        400,
        "answer_invalid",
    ),
    (
        "unparsable number",
        lambda w: post(w, changed(visit__round_ref="RD-KOBO-1", visit__stop="two")),
        400,
        "answer_invalid",
    ),
    (
        "unparsable date",
        lambda w: post(w, changed(follow_up__due="next week")),
        400,
        "answer_invalid",
    ),
    (
        "choice outside the map",
        lambda w: post(w, changed(visit__outcome="partly")),
        400,
        "answer_invalid",
    ),
    (
        "another form",
        lambda w: post(w, changed(_xform_id_string="aOtherFormX")),
        400,
        "form_mismatch",
    ),
    ("unknown person", lambda w: post(w, changed(visit__person_ref="P-NOBODY")), 400, ""),
    (
        "a visit in the future",
        lambda w: post(w, changed(visit__visited_at="2099-01-01T10:00:00+04:00")),
        400,
        "",
    ),
    (
        "attachment type",
        lambda w: post(
            w,
            changed(
                _attachments=[
                    {
                        **payload("kobo_home_visit")["_attachments"][0],
                        "mimetype": "application/x-msdownload",
                        "filename": "a/b/setup.exe",
                    }
                ]
            ),
        ),
        400,
        "attachment_type",
    ),
    (
        "attachment too large",
        lambda w: post(
            w,
            changed(
                _attachments=[{**payload("kobo_home_visit")["_attachments"][0], "bytes": 9_000_000}]
            ),
        ),
        400,
        "attachment_too_large",
    ),
    (
        "too many attachments",
        lambda w: post(w, changed(_attachments=payload("kobo_home_visit")["_attachments"] * 2)),
        400,
        "attachments_too_many",
    ),
    (
        "attachments not a list",
        lambda w: post(w, changed(_attachments="photo.jpg")),
        400,
        "payload_invalid",
    ),
    (
        "nested too deeply",
        lambda w: post(w, {"meta": {"instanceID": "uuid:x"}, "g": _deep(40)}),
        400,
        "too_deep",
    ),
]


def _deep(levels: int) -> dict[str, Any]:
    value: dict[str, Any] = {"leaf": "x"}
    for _ in range(levels):
        value = {"g": value}
    return value


@pytest.mark.parametrize("case", [c[0] for c in CASES])
def test_malformed_submission_is_a_4xx_and_creates_nothing(world: KoboWorld, case: str) -> None:
    _name, send, status, code = next(c for c in CASES if c[0] == case)
    before = rows()
    response = send(world)
    assert response.status_code == status, response.content
    body = error(response)
    if code:
        assert body["code"] == code, body
    assert rows() == before


def test_errors_name_the_source_path_and_the_target_field(world: KoboWorld) -> None:
    body = error(post(world, changed(visit__round_ref="RD-KOBO-1", visit__stop="two")))
    assert body["details"]["errors"][0]["source"] == "visit/stop"
    assert body["details"]["errors"][0]["field"] == "sequence"
    assert "visit/stop" in body["message"] and "sequence" in body["message"]
    missing = error(post(world, changed(visit__person_ref=None, visit__team_code=None)))
    assert missing["details"]["sources"] == {
        "person": "visit/person_ref",
        "team": "visit/team_code",
    }
    # a refusal by the importer/service names the source too
    unknown = error(post(world, changed(visit__person_ref="P-NOBODY")))
    assert unknown["details"].get("sources", {}).get("person") == "visit/person_ref", unknown
    assert unknown["message"].startswith("visit/person_ref")


def test_refusals_are_noted_on_the_link_without_answer_values(world: KoboWorld) -> None:
    post(world, changed(visit__person_ref=None))
    post(world, b"not json")
    link = FormLink.objects.get(key="home-visit")
    assert link.refused_count == 2
    assert [r["code"] for r in link.recent_refusals] == ["not_json", "answer_invalid"]
    assert link.recent_refusals[1]["instance_id"] == payload("kobo_home_visit")["meta/instanceID"]
    assert "value" not in json.dumps(link.recent_refusals)
    post(world, payload("kobo_home_visit"), auth="Token wrong")  # unauthenticated: not noted
    link.refresh_from_db()
    assert link.refused_count == 2


def test_inactive_form_and_user_without_rights_are_403(world: KoboWorld) -> None:
    link = world.links["home-visit"]
    form_link_save(actor=world.admin, key=link.key, user=link.user, is_active=False)
    before = rows()
    assert error(post(world, payload("kobo_home_visit")))["code"] == "form_inactive"
    form_link_save(actor=world.admin, key=link.key, user=link.user, is_active=True)
    viewer = make_user(Role.VIEWER, areas=[world.area], organisation=world.org)
    form_link_save(actor=world.admin, key=link.key, user=viewer)
    response = post(world, payload("kobo_home_visit"))
    assert response.status_code == 403 and error(response)["code"] == "forbidden"
    viewer.is_active = False
    viewer.save()
    assert post(world, payload("kobo_home_visit")).status_code == 403
    # a field user of another area: the person is not theirs to name (the importer's
    # scoped lookup refuses the row, as a file import would)
    from tests.places.factories import AdminAreaFactory

    elsewhere = make_user(Role.FIELD, areas=[AdminAreaFactory(code="KB-Z")], organisation=world.org)
    form_link_save(actor=world.admin, key=link.key, user=elsewhere)
    assert post(world, payload("kobo_home_visit")).status_code in (400, 403)
    assert rows()[:3] == before[:3]  # (the link changes above are audited)


def test_the_secret_is_accepted_as_basic_auth_and_query_token(world: KoboWorld) -> None:
    secret = world.secrets["home-visit"]
    basic = "Basic " + base64.b64encode(f"home-visit:{secret}".encode()).decode()
    assert post(world, payload("kobo_home_visit"), auth=basic).status_code == 201
    response = Client().post(
        f"{URL}?token={secret}",
        data=json.dumps(payload("kobo_home_visit_edit")),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert FormLink.objects.get(key="home-visit").secret_hash != secret  # only a digest


# --------------------------------------------------------------------------- OpenRosa upload


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (120, 160, 90)).save(out, format="JPEG")
    return out.getvalue()


def upload(world: KoboWorld, photo: tuple[str, bytes, str] | None) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    files = {
        "xml_submission_file": SimpleUploadedFile(
            "submission.xml", payload_bytes("openrosa_home_visit.xml"), "text/xml"
        )
    }
    if photo is not None:
        files["1695971700554.jpg"] = SimpleUploadedFile(*photo)
    return Client().post(URL, data=files, HTTP_AUTHORIZATION=f"Token {world.secrets['home-visit']}")


def test_openrosa_upload_with_a_photo_creates_the_visit(world: KoboWorld) -> None:
    response = upload(world, ("1695971700554.jpg", _jpeg(), "image/jpeg"))
    assert response.status_code == 201, response.content
    visit = Visit.objects.get(person=world.people["P-XML1"])
    assert visit.services == ["hot_meal", "water"]
    instance = FormInstance.objects.get()
    assert instance.shape == "openrosa"
    assert instance.attachments[0]["mimetype"] == "image/jpeg"


def test_openrosa_upload_type_is_read_from_the_bytes(world: KoboWorld) -> None:
    before = rows()
    response = upload(world, ("1695971700554.jpg", b"MZ\x90\x00 not a photo", "image/jpeg"))
    assert response.status_code == 400 and error(response)["code"] == "attachment_type"
    big = Image.new("RGB", (3000, 3000))
    out = io.BytesIO()
    big.save(out, format="PNG")
    response = upload(world, ("1695971700554.jpg", out.getvalue(), "image/jpeg"))
    assert response.status_code == 201, response.content  # a PNG is allowed, whatever its name
    assert rows()[0] == before[0] + 1


def test_openrosa_xml_with_a_doctype_is_refused(world: KoboWorld) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    bomb = b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa">]><data id="x">&a;</data>'
    before = rows()
    response = Client().post(
        URL,
        data={"xml_submission_file": SimpleUploadedFile("s.xml", bomb, "text/xml")},
        HTTP_AUTHORIZATION=f"Token {world.secrets['home-visit']}",
    )
    assert response.status_code == 400 and error(response)["code"] == "xml_forbidden"
    assert rows() == before
