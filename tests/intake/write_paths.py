"""Write paths of the bulk exchange for the write-scope property test.

Every import kind is driven directly (``IMPORTS``, declared by the app that owns the kind);
here the two other doors to the same imports: the API operation and the upload page.
"""

from __future__ import annotations

import io

from tests.core.writescope import IMPORTS, Attempt, api, not_a_write, page, service

not_a_write("intake:export", "read (export)")


def _file(t: Attempt) -> tuple[str, io.BytesIO]:
    kind = t.draw(sorted(IMPORTS))
    upload = io.BytesIO(IMPORTS[kind](t).encode("utf-8"))
    upload.name = f"{kind}.csv"
    return kind, upload


@api("POST /api/v1/imports/{kind}/")
def _api_import(t: Attempt) -> None:
    kind, upload = _file(t)
    t.api.post(f"/api/v1/imports/{kind}/", {"file": upload}, format="multipart")


@page("intake:upload")
def _page_import(t: Attempt) -> None:
    kind, upload = _file(t)
    t.page.post("/intake/upload/", {"kind": kind, "file": upload})


# --- added for imports: the import history (ImportRun is written only by the import
# machinery: intake.services / intake.runs) and the recorded run of an import.
for _name in ("intake:run_list", "intake:run_detail"):
    not_a_write(_name, "read-only page (import history)")


@service("reliefops.intake.services.import_run_start")
def _run_start(t: Attempt) -> None:
    from reliefops.intake.services import import_run_start

    assert t.tmp is not None
    kind = t.draw(sorted(IMPORTS))
    path = t.tmp / f"run-{kind}.csv"
    path.write_text(IMPORTS[kind](t), encoding="utf-8")
    import_run_start(
        actor=t.actor,
        kind=kind,
        path=path,
        source="command",
        mode=t.draw(["upsert", "create"]),
        background=t.draw([False, True]),
    )


# --- added for submissions: field submissions write the kind's records through its
# importer, so the probes send a record of every import kind that takes submissions (the
# row its app declares for the import probe, as the JSON a phone sends). The Submission
# row itself is the receipt (like an import run), not a scoped record.
not_a_write("intake:submission_list", "read-only page (field submissions)")


def _submission(t: Attempt) -> dict[str, object]:
    import csv
    import uuid

    from reliefops.core import exchange as ex

    kinds = sorted(e.kind for e in ex.submission_kinds() if e.kind in IMPORTS)
    assert kinds, "no import kind takes field submissions"
    kind = t.draw(kinds)
    rows = list(csv.DictReader(io.StringIO(IMPORTS[kind](t))))
    data = {k: v for k, v in rows[0].items() if k and v not in (None, "")}
    return {"id": str(uuid.uuid4()), "kind": kind, "data": data}


@api("POST /api/v1/submissions/")
def _api_submission(t: Attempt) -> None:
    t.api.post("/api/v1/submissions/", _submission(t), format="json")


@api("POST /api/v1/submissions/batch/")
def _api_submission_batch(t: Attempt) -> None:
    t.api.post(
        "/api/v1/submissions/batch/",
        {"submissions": [_submission(t), _submission(t)]},
        format="json",
    )
