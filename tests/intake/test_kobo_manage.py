"""Managing form links: ``reliefops kobo_forms`` (list, add from the shipped mapping
files, new secret), ``form_link.manage`` required, the page of form links, the admin, and
the demo's two forms."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from reliefops.accounts.choices import Role
from reliefops.core.errors import Forbidden
from reliefops.core.models import AuditEvent
from reliefops.intake.kobo.mapping import MappingInvalid
from reliefops.intake.kobo.services import form_link_load, form_link_save, secret_matches
from reliefops.intake.models import FormLink
from tests.accounts.factories import UserFactory, make_user
from tests.intake.kobo_world import FORMS, KoboWorld, build_world, payload

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> KoboWorld:
    return build_world()


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("kobo_forms", *args, stdout=out)
    return out.getvalue()


def test_command_adds_the_shipped_forms_lists_them_and_rotates_a_secret(world: KoboWorld) -> None:
    FormLink.objects.all().delete()
    added = json.loads(run("add", "--shipped", "--as", world.field.username, "--json"))
    assert sorted(a["key"] for a in added) == ["crossing-count", "home-visit"]
    assert all(a["secret"] for a in added)
    again = json.loads(run("add", "--shipped", "--as", world.field.username, "--json"))
    assert all(a["secret"] is None for a in again)  # unchanged: the secret stays
    listed = json.loads(run("list", "--json"))
    assert {r["key"]: r["kind"] for r in listed} == {
        "crossing-count": "crossing-counts",
        "home-visit": "visits",
    }
    assert "home-visit" in run("list")
    out = run("secret", "home-visit")
    secret = out.strip().rsplit(" ", 1)[-1]
    link = FormLink.objects.get(key="home-visit")
    assert secret_matches(link, secret) and not secret_matches(link, added[1]["secret"])
    with pytest.raises(CommandError):
        run("add", "--shipped", "--as", "nobody")
    viewer = make_user(Role.VIEWER, username="kobo-viewer")
    with pytest.raises(CommandError):
        run("list", "--user", viewer.username)


def test_managing_links_needs_form_link_manage(world: KoboWorld) -> None:
    field = world.field  # a field user may send submissions, not configure forms
    with pytest.raises(Forbidden):
        form_link_load(actor=field, path=FORMS / "home_visit.mapping.json", user=field)
    coordinator = make_user(Role.COORDINATOR)
    link, secret = form_link_load(
        actor=coordinator, path=FORMS / "home_visit.mapping.json", user=field, key="hv-2"
    )
    assert secret and link.kind == "visits"
    assert AuditEvent.objects.filter(action="form_link.create", object_id=str(link.pk)).exists()
    assert secret not in json.dumps(list(AuditEvent.objects.values("before", "after")), default=str)
    with pytest.raises(MappingInvalid):
        form_link_save(
            actor=coordinator,
            key="hv-2",
            user=field,
            mapping={"fields": {"nonsense": "visit/person_ref"}},
        )


def test_the_page_of_form_links(world: KoboWorld) -> None:
    Client().post(
        "/api/v1/kobo/home-visit/",
        data=json.dumps(payload("kobo_home_visit")),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {world.secrets['home-visit']}",
    )
    Client().post(
        "/api/v1/kobo/home-visit/",
        data="{broken",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {world.secrets['home-visit']}",
    )
    page = Client()
    page.force_login(make_user(Role.COORDINATOR))
    html = page.get("/intake/forms/").content.decode()
    assert "/api/v1/kobo/home-visit/" in html and "/api/v1/kobo/crossing-count/" in html
    assert payload("kobo_home_visit")["meta/instanceID"] in html
    assert "not_json" in html
    assert world.secrets["home-visit"] not in html
    field = Client()
    field.force_login(world.field)
    assert field.get("/intake/forms/").status_code == 403


def test_the_admin_saves_through_the_service(world: KoboWorld) -> None:
    admin = UserFactory(is_superuser=True, is_staff=True)
    client = Client()
    client.force_login(admin)
    link = world.links["home-visit"]
    url = f"/admin/intake/formlink/{link.pk}/change/"
    assert client.get(url).status_code == 200
    form: dict[str, Any] = {
        "user": str(world.field.pk),
        "title": "Home visits",
        "form_ids": link.form_ids,
        "form_version": "",
        "kind": "visits",
        "mapping": json.dumps(link.mapping),
        "submitters": "{}",
        "is_active": "on",
        "attachment_types": json.dumps(link.attachment_types),
        "attachment_max_bytes": str(link.attachment_max_bytes),
        "attachment_max_files": "1",
        "source_file": link.source_file,
        "new_secret": "on",
    }
    response = client.post(url, form, follow=True)
    assert response.status_code == 200
    link.refresh_from_db()
    assert link.title == "Home visits"
    assert not secret_matches(link, world.secrets["home-visit"])  # a new secret was given
    assert "copy it now" in response.content.decode()
    bad = client.post(url, {**form, "mapping": json.dumps({"fields": {"x": "y"}})})
    assert bad.status_code == 200 and "not a column" in bad.content.decode()


def test_the_demo_configures_both_forms() -> None:
    from reliefops.intake import demo

    admin = UserFactory(username="admin", is_superuser=True)
    assert admin.is_active
    field = make_user(Role.FIELD, username="field")
    out = io.StringIO()
    demo.kobo_load(stdout=out)  # no UNHA/AZ-LAC here: no counter, the count form is skipped
    assert FormLink.objects.get(key="home-visit").user == field
    assert "home-visit-demo-2023" in out.getvalue()
    demo.kobo_load(stdout=io.StringIO())  # idempotent
    assert FormLink.objects.filter(key="home-visit").count() == 1
