"""The report of an import: counts by outcome, row errors, per-row outcomes (bounded),
warnings; what :func:`~reliefops.core.exchange.importing.import_file` returns."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from reliefops.core.exchange.errors import RowError, RowWarning
from reliefops.core.exchange.outcomes import (
    CREATED,
    MODE_UPSERT,
    REFUSED,
    UNCHANGED,
    UPDATED,
    RowOutcome,
)

#: Rows of per-row outcomes a report keeps (the counts are always exact).
OUTCOME_ROWS = 1000
Progress = Callable[[str, int, int | None], None]
"""``progress(stage, rows done, rows in total or None)``; stage "checking" or "writing"."""


@dataclass
class ImportReport:
    kind: str
    format: str
    rows: int = 0
    written: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    dry_run: bool = False
    seconds: float = 0.0
    mode: str = MODE_UPSERT
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    refused: int = 0
    outcomes: list[RowOutcome] = field(default_factory=list)
    outcome_count: int = 0
    warnings: list[RowWarning] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def counts(self) -> dict[str, int]:
        return {
            CREATED: self.created,
            UPDATED: self.updated,
            UNCHANGED: self.unchanged,
            REFUSED: self.refused,
        }

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "format": self.format,
            "mode": self.mode,
            "rows": self.rows,
            **self.counts(),
            "written": self.written,
            "ok": self.ok,
            "dry_run": self.dry_run,
            "error_count": self.error_count,
            "errors": [e.as_dict() for e in self.errors],
            "outcomes": [o.as_dict() for o in self.outcomes],
            "outcomes_left_off": self.outcome_count - len(self.outcomes),
            "warnings": [w.as_dict() for w in self.warnings],
            "seconds": round(self.seconds, 3),
        }

    def keep(self, outcome: RowOutcome) -> None:
        self.outcome_count += 1
        if len(self.outcomes) < OUTCOME_ROWS:
            self.outcomes.append(outcome)
