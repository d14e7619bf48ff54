"""The offline phone pages' server side (docs/offline.md): the service worker's address,
headers and configuration, the registry of pages a phone keeps, and what the round page
and the road page give their offline script."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from reliefops.core import offline


def _worker(client: Client) -> tuple[Any, dict[str, Any], str]:
    response = client.get("/sw.js")
    body = response.content.decode()
    first, _newline, rest = body.partition("\n")
    match = re.fullmatch(r"self\.RELIEFOPS_OFFLINE = (\{.*\});", first)
    assert match, first[:200]
    return response, json.loads(match.group(1)), rest


def test_the_worker_is_served_from_the_root_uncached_with_its_scope_allowed(client: Client) -> None:
    response, _config, source = _worker(client)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    assert source == offline.WORKER_SOURCE.read_text(encoding="utf-8")
    assert reverse("service_worker") == "/sw.js"
    # No personal data and no session needed: the same answer for anyone.
    assert "csrftoken" not in response.cookies and "sessionid" not in response.cookies
    assert client.post("/sw.js").status_code == 405


def test_the_worker_keeps_the_two_field_pages_and_their_static_files_only(client: Client) -> None:
    _response, config, _source = _worker(client)
    patterns = [re.compile(p) for p in config["patterns"]]
    assert len(patterns) == 2

    def kept(path: str) -> bool:
        return any(p.match(path) for p in patterns)

    assert kept("/teams/rounds/R-2023-0001/")
    assert kept("/logistics/convoys/CV-0001/road/")
    for path in (
        "/teams/rounds/",
        "/teams/rounds/R-1/stops/1/visit/",
        "/teams/due/",
        "/logistics/convoys/CV-0001/",
        "/people/",
        "/api/v1/submissions/",
        "/api/v1/visits/",
        "/",
    ):
        assert not kept(path), path
    # Every kept URL is a static file the pages use, and each exists.
    names = offline.shell_assets()
    assert config["assets"] == [f"/static/{n}" for n in names]
    assert {"teams/round-offline.js", "logistics/road-offline.js", "core/offline/queue.js"} <= set(
        names
    )
    for name in names:
        assert finders.find(name), name
    # The caches are named after the version, under the prefix logout clears.
    version = config["version"]
    assert re.fullmatch(r"[0-9a-f]{12}", version)
    assert config["shell"] == f"reliefops-shell-{version}"
    assert config["pages"] == f"reliefops-pages-{version}"
    assert config["prefix"] == offline.CACHE_PREFIX == "reliefops-"


def test_the_version_follows_the_static_files_contents(tmp_path: Path, monkeypatch: Any) -> None:
    before = offline.static_version()
    assert offline.static_version() == before  # stable
    original = offline._asset_bytes

    def edited(name: str) -> bytes:
        data = original(name)
        return data + b"/* edited */" if name == "teams/round-offline.js" else data

    monkeypatch.setattr(offline, "_asset_bytes", edited)
    with override_settings(DEBUG=True):  # DEBUG: recomputed on every call
        assert offline.static_version() != before


def test_production_hashed_static_names_are_what_the_worker_keeps() -> None:
    with override_settings(STATIC_URL="/assets/"):
        config = offline.worker_config()
    assert all(url.startswith("/assets/") for url in config["assets"])


@pytest.mark.django_db
def test_the_round_page_gives_its_script_the_queue_and_the_stops_people() -> None:
    from reliefops.teams import services
    from tests.teams.scene import build_scene

    scene = build_scene()
    rnd = services.round_create(
        actor=scene.admin,
        team=scene.teams["A"],
        date=timezone.localdate(),
        stops=[services.StopInput(person=p) for p in scene.people["A"]],
    )
    services.round_transition(actor=scene.admin, round=rnd, step="plan")
    client = Client()
    client.force_login(scene.field["A"])
    html = client.get(f"/teams/rounds/{rnd.reference}/").content.decode()
    config = _config(html)
    assert config["api"] == "/api/v1/submissions/"
    assert config["worker"] == "/sw.js"
    assert config["user"] == str(scene.field["A"].pk)
    assert config["labels"] == {"visits": "Visit", "rounds": "Round"}
    assert config["utc_offset"] == "+04:00"  # Asia/Baku
    assert config["strings"]["title"] == "Waiting to send"
    assert f'data-round="{rnd.reference}"' in html and 'data-team="MMT-A"' in html
    for stop in rnd.stops.all():
        assert f'data-sequence="{stop.sequence}" data-person="{stop.person.reference}"' in html
    assert 'id="offline-panel"' in html
    assert "core/offline/queue.js" in html and "teams/round-offline.js" in html


def test_the_strings_reach_the_script_translated() -> None:
    from django.utils import translation

    with translation.override("ru"):
        strings = offline.offline_strings()
    assert set(strings) == set(offline.offline_strings())
    assert all(isinstance(v, str) and v for v in strings.values())


def _config(html: str) -> dict[str, Any]:
    match = re.search(r'<script id="offline-config" type="application/json">(.*?)</script>', html)
    assert match, "no offline configuration on the page"
    return json.loads(match.group(1))
