"""The README's "Import and export" section names every registered exchange kind, and says
which are export only, so a new kind cannot ship undocumented."""

from __future__ import annotations

import re
from pathlib import Path

from reliefops.core import exchange as ex

README = Path(__file__).resolve().parents[2] / "README.md"


def _section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("## Import and export")
    end = text.index("\n## ", start + 1)
    return text[start:end]


def test_the_readme_lists_every_kind_and_marks_the_export_only_ones() -> None:
    section = _section()
    missing, unmarked = [], []
    for exchange in ex.registry_kinds():
        owner = exchange.importer or exchange.exporter
        if not owner.__module__.startswith("reliefops."):
            continue  # a kind a test registers for itself
        match = re.search(rf"`{re.escape(exchange.kind)}`( \(export\))?", section)
        if match is None:
            missing.append(exchange.kind)
        elif (exchange.importer is None) != bool(match.group(1)):
            unmarked.append(exchange.kind)
    assert not missing, f"README does not list the kinds {missing}"
    assert not unmarked, f"README's '(export)' marks are wrong for {unmarked}"
