"""A service's refusal as the row error of an import (or of a field submission).

Importers call the services' own checks while checking the rows (``passage_check``,
``delivery_check``), so a file reports every refused row before anything is written and
a submission is refused with the message a page would show. The field a service names
becomes the column.
"""

from __future__ import annotations

from collections.abc import Mapping

from reliefops.core import exchange as ex
from reliefops.core.errors import ApplicationError


def cell_error(
    exc: ApplicationError, *, column: str, columns: Mapping[str, str] | None = None
) -> ex.CellError:
    """``exc`` as a :class:`CellError` on the column of the field it names (``columns``
    maps a service's field names to the file's column names), or on ``column``."""
    rename = dict(columns or {})
    fields = exc.details.get("fields")
    if isinstance(fields, Mapping) and fields:
        name, messages = next(iter(fields.items()))
        if isinstance(messages, list | tuple) and messages:
            message = "; ".join(str(m) for m in messages)
        else:
            message = str(exc.message)
        name = str(name).split(".")[0]
    else:
        name, message = str(exc.details.get("field") or ""), str(exc.message)
    return ex.CellError(rename.get(name, name) or column, message)
