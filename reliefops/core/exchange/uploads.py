"""The upload limit on web requests, enforced while Django reads the request body.

:class:`UploadLimitHandler` is the first of ``FILE_UPLOAD_HANDLERS``, so it sees every
multipart body before any other handler stores a byte:

* when the declared ``Content-Length`` already exceeds the limit (plus room for the small
  form fields), it stops at the first file part without reading it and drops the connection
  (``StopUpload(connection_reset=True)``): a 60 MB body is never read;
* otherwise it counts each file's bytes and stops as soon as one passes the limit (the rest
  of the body, at most the declared length, is drained so the client gets the answer).

Django then hands the view the form fields without the file. The view calls
:func:`upload_refusal_raise`, which raises :class:`FileTooLarge` naming the limit (413 on the
API, an error on the page). ``DATA_UPLOAD_MAX_MEMORY_SIZE`` does not help here: it bounds
only the non-file fields.
"""

from __future__ import annotations

from typing import Any

from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.utils.translation import gettext as _

from reliefops.core.exchange.errors import FileTooLarge
from reliefops.core.exchange.limits import limits, size_text

FORM_FIELDS_ROOM = 64 * 1024  # the upload forms' other fields (kind, dry run, CSRF token)
REFUSED_ATTRIBUTE = "reliefops_upload_refused"


class UploadLimitHandler(FileUploadHandler):
    def __init__(self, request: Any = None) -> None:
        super().__init__(request)
        self.limit = limits().upload_bytes
        self.body_length = 0
        self.received = 0

    def _refuse(self, size: int, *, reset: bool) -> None:
        if self.request is not None:
            setattr(self.request, REFUSED_ATTRIBUTE, size)
        raise StopUpload(connection_reset=reset)

    def handle_raw_input(
        self,
        input_data: Any,
        META: dict[str, Any],
        content_length: int,
        boundary: Any,
        encoding: str | None = None,
    ) -> None:
        self.body_length = content_length

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0
        if self.body_length > self.limit + FORM_FIELDS_ROOM:
            self._refuse(self.body_length, reset=True)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            self._refuse(self.received, reset=False)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def upload_refusal_raise(request: Any) -> None:
    """Raise :class:`FileTooLarge` when the upload handler stopped this request's file."""
    size = getattr(request, REFUSED_ATTRIBUTE, None)
    if size is None:
        return
    limit = limits().upload_bytes
    raise FileTooLarge(
        _("The file is larger than the upload limit of %(limit)s.") % {"limit": size_text(limit)},
        size_at_least=size,
        limit=limit,
    )
