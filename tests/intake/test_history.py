"""The import history: every run (page, API, command; success and failure) is recorded,
shown to whom may see it, and large files run as a background job with progress."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from rest_framework.test import APIClient

from reliefops.accounts.choices import Role
from reliefops.core.exchange.registry import registry_get
from reliefops.intake.models import ImportRun
from reliefops.intake.services import import_run_start
from reliefops.stock.models import Item
from tests.accounts.factories import OrganisationFactory, UserFactory, make_user
from tests.celery_workers import celery_worker, wait_for

pytestmark = pytest.mark.django_db
GOOD = b"code,category,unit,name_en\nWTR,water,piece,Water\nDSL,fuel,litre,Diesel\n"
BAD = b"code,category,unit\nWTR,water,gallon\n"


def items_file(tmp_path: Path, rows: int) -> Path:
    path = tmp_path / "items.csv"
    lines = ["code,category,unit,name_en"] + [f"IT{i:04d},food,kg,Item {i}" for i in range(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def signed_in(user) -> tuple[Client, APIClient]:
    page = Client()
    page.force_login(user)
    api = APIClient()
    api.force_authenticate(user)
    return page, api


def test_page_api_and_command_record_their_runs_success_and_failure(tmp_path) -> None:
    admin = UserFactory(username="ops", is_superuser=True)
    page, api = signed_in(admin)
    ok = page.post(
        "/intake/upload/", {"kind": "items", "file": SimpleUploadedFile("items.csv", GOOD)}
    )
    assert ok.status_code == 200 and 'id="import-outcomes"' in ok.content.decode()
    bad = api.post(
        "/api/v1/imports/items/",
        {"file": SimpleUploadedFile("bad.csv", BAD)},
        format="multipart",
    )
    assert bad.status_code == 400
    assert bad.json()["error"]["details"]["errors"][0]["column"] == "unit"
    path = tmp_path / "again.csv"
    path.write_bytes(GOOD)
    call_command("import", "items", str(path), "--user", "ops", stdout=io.StringIO())
    runs = list(ImportRun.objects.order_by("created_at"))
    assert [(r.source, r.status, r.file_name) for r in runs] == [
        ("page", "succeeded", "items.csv"),
        ("api", "failed", "bad.csv"),
        ("command", "succeeded", "again.csv"),
    ]
    first, failed, again = runs
    assert (first.created, first.written, first.rows, first.size_bytes) == (2, 2, 2, len(GOOD))
    assert first.sha256 == again.sha256 and len(first.sha256) == 64
    assert (again.created, again.unchanged, again.written) == (0, 2, 0)
    assert failed.error_count == 1 and "row 2, unit" in failed.error_summary
    assert failed.errors[0]["column"] == "unit" and failed.user == admin
    # A file refused whole is a failed run too.
    refused = tmp_path / "fake.xlsx"
    refused.write_bytes(b"not a workbook")
    with pytest.raises(CommandError):
        call_command("import", "items", str(refused), "--user", "ops", stdout=io.StringIO())
    assert ImportRun.objects.filter(file_name="fake.xlsx", status="failed").exists()
    listed = api.get("/api/v1/import-runs/").json()
    assert listed["count"] == 4
    detail = api.get(f"/api/v1/import-runs/{first.pk}/").json()
    assert [o["outcome"] for o in detail["outcomes"]] == ["created", "created"]


def test_the_history_shows_runs_to_whom_may_see_them() -> None:
    own, other = OrganisationFactory(acronym="OWN"), OrganisationFactory(acronym="OTH")
    officer = make_user(Role.LOGISTICS, organisation=own, username="officer")
    colleague = make_user(Role.LOGISTICS, organisation=own, username="colleague")
    stranger = make_user(Role.LOGISTICS, organisation=other, username="stranger")
    coordinator = make_user(Role.COORDINATOR, organisation=other, username="coord")
    runs = {}
    for user in (officer, colleague, stranger):
        runs[user.username] = ImportRun.objects.create(
            user=user,
            organisation=user.memberships.get().organisation,
            kind="items",
            file_name=f"{user.username}-file.csv",
            source="page",
            status="succeeded",
        )
    page, api = signed_in(officer)
    text = page.get("/intake/history/").content.decode()
    assert "officer-file.csv" in text and "colleague-file.csv" in text
    assert "stranger-file.csv" not in text
    assert page.get(f"/intake/history/{runs['stranger'].pk}/").status_code == 404
    assert page.get(f"/intake/history/{runs['colleague'].pk}/").status_code == 200
    assert api.get("/api/v1/import-runs/").json()["count"] == 2
    assert api.get(f"/api/v1/import-runs/{runs['stranger'].pk}/").status_code == 404
    page, api = signed_in(coordinator)
    assert api.get("/api/v1/import-runs/").json()["count"] == 3
    assert "officer-file.csv" in page.get("/intake/history/").content.decode()
    upload = page.get("/intake/upload/").content.decode()
    assert 'href="/intake/history/"' in upload


def test_a_large_file_runs_as_a_job_and_its_page_polls_the_progress(
    settings, tmp_path, django_capture_on_commit_callbacks
) -> None:
    settings.IMPORT_BACKGROUND_ROWS = 5
    settings.IMPORT_SPOOL_DIR = tmp_path / "spool"
    admin = UserFactory(is_superuser=True)
    page, _api = signed_in(admin)
    small = items_file(tmp_path, 3)
    assert not import_run_start(actor=admin, kind="items", path=small, source="api").background
    big = items_file(tmp_path, 12)
    with django_capture_on_commit_callbacks(execute=False) as queued, big.open("rb") as handle:
        response = page.post("/intake/upload/", {"kind": "items", "file": handle})
    run = ImportRun.objects.get(background=True)
    assert response.status_code == 302 and response["Location"] == f"/intake/history/{run.pk}/"
    assert run.status == "queued" and Path(run.spool_path).exists()
    waiting = page.get(f"/intake/history/{run.pk}/").content.decode()
    assert 'id="run-progress"' in waiting and 'hx-trigger="every 1s"' in waiting
    for callback in queued:  # the worker (eager here) runs the job
        callback()
    run.refresh_from_db()
    assert (run.status, run.created, run.unchanged) == ("succeeded", 9, 3)  # 3 from the small file
    assert (run.rows_done, run.rows_total) == (12, 12)
    assert not Path(run.spool_path).exists()
    assert Item.objects.count() == 12
    fragment = page.get(f"/intake/history/{run.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in fragment and 'id="import-report"' in fragment
    assert "<html" not in fragment


def test_progress_moves_while_a_run_is_checked() -> None:
    run = ImportRun.objects.create(
        kind="items", source="api", status="running", stage="checking", rows_total=200
    )
    from reliefops.intake.runs import _Progress

    _Progress(run)("checking", 100, None)
    run.refresh_from_db()
    assert (run.rows_done, run.rows_total, run.percent) == (100, 200, 25)
    progress = _Progress(run)
    progress("writing", 100, 200)  # inside the import's transaction: another connection
    progress.close()
    assert run.percent == 75


@pytest.mark.celery_worker
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_a_background_import(settings, tmp_path) -> None:
    from celery.result import AsyncResult

    from reliefops.celery import app

    queue = f"test-imports-{os.getpid()}"
    settings.IMPORT_TASK_QUEUE = queue
    settings.IMPORT_BACKGROUND_ROWS = 10
    settings.IMPORT_SPOOL_DIR = tmp_path / "spool"
    admin = UserFactory(is_superuser=True)
    with celery_worker(queue) as worker:
        run = import_run_start(
            actor=admin, kind="items", path=items_file(tmp_path, 1200), source="api"
        )
        assert run.background and run.task_id

        def finished() -> bool:
            run.refresh_from_db()
            return run.finished

        wait_for(finished, worker)
        payload = AsyncResult(run.task_id, app=app).get(timeout=10)
    assert payload["pid"] == worker.pid != os.getpid()
    assert (run.status, run.created, run.written) == ("succeeded", 1200, 1200)
    assert (run.rows_done, run.rows_total) == (1200, 1200)
    assert Item.objects.count() == 1200


def test_the_upload_page_labels_kinds_once_and_offers_geojson_only_with_geometry() -> None:
    page, _api = signed_in(UserFactory(is_superuser=True))
    text = page.get("/intake/upload/").content.decode()
    assert "Facilities <code>facilities</code>" not in text
    assert "/intake/export/facilities/?format=geojson" in text
    for kind in ("items", "stock", "pledges", "requests"):
        assert f"/intake/export/{kind}/?format=csv" in text
        assert f"/intake/export/{kind}/?format=geojson" not in text


def test_the_history_pages_filters_and_shares_its_filters_with_the_api() -> None:
    """No silent cut: 230 runs page by 25 (page 10 exists), the status filter and the
    kind label work on the page, and the API list takes the same filters."""
    admin = UserFactory(username="hist", is_superuser=True)
    ImportRun.objects.bulk_create(
        ImportRun(
            user=admin,
            kind="items" if i % 2 else "stock",
            file_name=f"f{i:03d}.csv",
            source="command",
            status="failed" if i % 10 == 0 else "succeeded",
        )
        for i in range(230)
    )
    page, api = signed_in(admin)
    last = page.get("/intake/history/?page_size=25&page=10").content.decode()
    assert last.count('<td class="break">f') == 5  # 230 = 9 × 25 + 5
    failed = page.get("/intake/history/?status=failed&page_size=100").content.decode()
    shown = re.findall(r'<td class="break">(f\d+)\.csv</td>', failed)
    assert sorted(shown) == [f"f{i:03d}" for i in range(0, 230, 10)]
    stock_label = str(registry_get("stock").label)
    assert stock_label != "stock" and stock_label in failed  # the kind's name, not its code
    listed = api.get("/api/v1/import-runs/?status=failed&kind=stock&o=-created_at").json()
    assert listed["count"] == 23
    assert page.get("/intake/history/?status=nope").status_code == 400
