"""The bell, the notices page and the API: the reader's own notices only."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from reliefops.notices.choices import NoticeKind
from reliefops.notices.models import Notice
from reliefops.notices.services import notify
from tests.accounts.factories import make_user

pytestmark = pytest.mark.django_db
K = NoticeKind.CONVOY_TURNED_BACK


def _setup() -> tuple[Any, Any, list[Notice], Notice]:
    ann, bob = make_user("logistics", username="ann"), make_user("viewer", username="bob")
    own = [
        notify(
            [ann],
            K,
            {"convoy": f"CV-{n}", "point": {"names": {"en": "Lachin"}}},
            f"/logistics/convoys/CV-{n}/",
            f"CV-{n}",
        )[0]
        for n in (1, 2, 3)
    ]
    other = notify([bob], K, {"convoy": "CV-SECRET"}, "/logistics/convoys/CV-SECRET/", "CV-S")[0]
    return ann, bob, own, other


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_shell_bell_and_its_count() -> None:
    ann, _bob, own, _other = _setup()
    client = _client(ann)
    home = client.get("/").content.decode()
    assert 'id="notice-bell"' in home and 'hx-get="/notices/bell/"' in home
    bell = client.get("/notices/bell/").content.decode()
    assert 'data-count="3"' in bell and 'hx-trigger="every 60s"' in bell
    Notice.objects.filter(pk=own[0].pk).update(read_at=own[0].created_at)
    assert 'data-count="2"' in client.get("/notices/bell/").content.decode()


def test_list_open_and_mark_all_read() -> None:
    ann, _bob, own, other = _setup()
    client = _client(ann)
    page = client.get("/notices/").content.decode()
    assert page.count('class="notice unread"') == 3 and "CV-SECRET" not in page
    assert "Convoy CV-3 was turned back at Lachin" in page
    assert page.index("CV-3") < page.index("CV-1")  # newest first
    assert "Mark all read" in page
    opened = client.get(f"/notices/{own[0].pk}/")
    assert opened.status_code == 302 and opened["Location"] == "/logistics/convoys/CV-1/"
    own[0].refresh_from_db()
    assert own[0].read_at is not None
    unread = client.get("/notices/?unread=true").content.decode()
    assert "CV-1" not in unread and "CV-2" in unread
    assert client.get(f"/notices/{other.pk}/").status_code == 404
    other.refresh_from_db()
    assert other.read_at is None
    assert client.get("/notices/read-all/").status_code == 405
    done = client.post("/notices/read-all/", follow=True)
    assert "2 notices marked read." in done.content.decode()
    assert not Notice.objects.filter(recipient=ann, read_at__isnull=True).exists()


def test_api_lists_own_and_marks_read(api_client: Any) -> None:
    ann, _bob, own, other = _setup()
    api_client.force_authenticate(ann)
    body = api_client.get("/api/v1/notices/").json()
    assert body["count"] == 3
    first = body["results"][0]
    assert first["reference"] == "CV-3" and first["unread"] is True
    assert first["text"] == "Convoy CV-3 was turned back at Lachin on …."
    assert api_client.get("/api/v1/notices/unread/").json() == {"unread": 3}
    read = api_client.post(f"/api/v1/notices/{own[1].pk}/read/")
    assert read.status_code == 200 and read.json()["unread"] is False
    assert api_client.get("/api/v1/notices/?unread=true").json()["count"] == 2
    missing = api_client.post(f"/api/v1/notices/{other.pk}/read/")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    assert api_client.post("/api/v1/notices/read-all/").json() == {"marked": 2}
    assert api_client.get("/api/v1/notices/unread/").json() == {"unread": 0}
    api_client.force_authenticate(None)
    assert api_client.get("/api/v1/notices/").status_code in (401, 403)
