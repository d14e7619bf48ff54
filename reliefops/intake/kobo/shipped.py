"""The example forms shipped with ReliefOps (``forms/`` at the top of the repository)."""

from __future__ import annotations

from pathlib import Path

import reliefops

SHIPPED_FORMS = "forms"
FORMS_DIR = Path(reliefops.__file__).resolve().parents[1] / SHIPPED_FORMS


def shipped_mappings() -> list[Path]:
    """The mapping files of the shipped forms, by name."""
    return sorted(FORMS_DIR.glob("*.mapping.json"))


def shipped_mapping(key: str) -> Path:
    """The mapping file of the shipped form ``key`` (``home-visit`` → home_visit…)."""
    return FORMS_DIR / f"{key.replace('-', '_')}.mapping.json"
