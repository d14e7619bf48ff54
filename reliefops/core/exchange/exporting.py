"""Exporters: ``Exporter.rows`` streamed through a :class:`TableWriter`."""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any, ClassVar

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from reliefops.core.actions import Action
from reliefops.core.errors import ApplicationError
from reliefops.core.exchange.errors import UnknownKind
from reliefops.core.exchange.parsing import Column
from reliefops.core.exchange.registry import registry_get
from reliefops.core.exchange.tables import TableWriter
from reliefops.core.permissions import Actor, require
from reliefops.core.queries import filterset_apply, query_validate
from reliefops.core.replica import replica_reads


class Exporter:
    """Base of every exporter: ``rows()`` yields dicts of native values, scoped to actor.

    ``query`` declares the exporter's filters (a serializer, e.g. ``days``): the texts given
    by the page, the API or the CLI are validated by it (a bad value is a 400 naming it) and
    ``self.filters`` holds the parsed values. Without one, filters are ignored.

    ``filterset`` names the FilterSet of the kind's list page and API list: ``rows()``
    passes its queryset through :meth:`filtered`, so an export given a list's query string
    holds exactly that list's rows (every page of it; ``page``/``page_size`` are ignored).
    """

    columns: ClassVar[Sequence[Column]] = ()
    permission: ClassVar[Action] = Action.EXPORT_RUN
    query: ClassVar[Any] = None
    filterset: ClassVar[Any] = None

    def __init__(self, *, actor: Actor, filters: dict[str, Any] | None = None) -> None:
        self.actor = actor
        self.params = dict(filters or {})
        self.filters = query_validate(self.params, self.query) if self.query else {}

    def filtered(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        """``queryset`` through the declared ``filterset`` (a bad value is a 400 naming it)."""
        if self.filterset is None:
            return queryset
        return filterset_apply(self.params, self.filterset, queryset, actor=self.actor).qs

    def check_permission(self) -> None:
        require(self.actor, self.permission)

    def rows(self) -> Iterator[dict[str, Any]]:
        raise NotImplementedError


@replica_reads
def export_write(
    *,
    kind: str,
    stream: IO[bytes],
    actor: Actor,
    fmt: str = "csv",
    filters: dict[str, Any] | None = None,
) -> int:
    """Write the ``kind`` export for ``actor`` to a binary stream; return the row count."""
    entry = registry_get(kind)
    if entry.exporter is None:
        raise UnknownKind(kind=kind, direction="export")
    exporter = entry.exporter(actor=actor, filters=filters)
    exporter.check_permission()
    return TableWriter(stream, exporter.columns, fmt).write(exporter.rows())


class ExportNotWritten(ApplicationError):
    """The export file could not be written (disk full, no permission …)."""

    status_code = 507
    code = "export_not_written"


#: What the system calls a full disk: no space, quota exceeded, file size limit.
DISK_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


def export_to_file(
    *,
    kind: str,
    path: str | Path,
    actor: Actor,
    fmt: str = "csv",
    filters: dict[str, Any] | None = None,
) -> int:
    """Write the ``kind`` export to ``path`` whole or not at all; return the row count.

    The rows go to a temporary file next to ``path`` that is flushed to disk, then renamed
    over it: a reader never sees a half-written export, and when writing fails (the disk is
    full …) the temporary file is removed, ``path`` is left as it was and
    :class:`ExportNotWritten` says why.
    """
    target = Path(path)
    handle, temporary = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".part", dir=target.parent
    )
    try:
        with os.fdopen(handle, "wb") as stream:
            count = export_write(kind=kind, stream=stream, actor=actor, fmt=fmt, filters=filters)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644 & ~_umask())
        os.replace(temporary, target)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        if exc.errno in DISK_FULL:
            message = _("The export was not written to %(path)s: the disk is full.")
        else:
            message = _("The export was not written to %(path)s: %(reason)s.")
        raise ExportNotWritten(
            message % {"path": target, "reason": exc.strerror or exc}, path=str(target)
        ) from exc
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return count


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
