"""Write paths of the bulk exchange for the write-scope property test.

Every import kind is driven directly (``IMPORTS``, declared by the app that owns the kind);
here the two other doors to the same imports: the API operation and the upload page.
"""

from __future__ import annotations

import io

from tests.core.writescope import IMPORTS, Attempt, api, not_a_write, page

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
