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
