"""The dependency audit's verdicts (``tools/dependency_audit.py``, run by ``make scan``):
a known vulnerability fails, an unreachable vulnerability database is said plainly (and
fails only with --strict), a clean audit passes. pip-audit's JSON is fed in its own shape
(the database itself is not reachable from CI); the real tool runs in ``make scan``."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

TOOL = Path(__file__).resolve().parents[2] / "tools" / "dependency_audit.py"


@pytest.fixture
def tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("dependency_audit", TOOL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _run(tool: ModuleType, monkeypatch: Any, capsys: Any, result: dict[str, Any], *argv: str):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(tool, "audit", lambda: {"stderr": "", "returncode": 0, **result})
    code = tool.main(list(argv))
    return code, capsys.readouterr().out


def test_a_known_vulnerability_fails_naming_it(tool, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    deps = [
        {
            "name": "django",
            "version": "5.0",
            "vulns": [{"id": "PYSEC-1", "fix_versions": ["5.0.1"]}],
        },
        {"name": "celery", "version": "5.7.0", "vulns": []},
    ]
    code, out = _run(tool, monkeypatch, capsys, {"dependencies": deps})
    assert code == 1
    assert "VULNERABLE django 5.0: PYSEC-1 (fixed in 5.0.1)" in out
    assert "1 of 2 packages have known vulnerabilities" in out


def test_an_unreachable_database_is_said_plainly(tool, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    reason = "Dependency not found on PyPI and could not be audited: celery (5.7.0)"
    deps = [{"name": "celery", "skip_reason": reason}, {"name": "kombu", "skip_reason": reason}]
    code, out = _run(tool, monkeypatch, capsys, {"dependencies": deps})
    assert code == 0 and "dependency audit NOT RUN" in out and "2 of 2 packages" in out
    code, _out = _run(tool, monkeypatch, capsys, {"dependencies": deps}, "--strict")
    assert code == 1
    # pip-audit itself failing (no answer at all) is the same verdict, with its reason
    failed = {
        "dependencies": [],
        "stderr": "ConnectionError: cannot reach pypi.org",
        "returncode": 1,
    }
    code, out = _run(tool, monkeypatch, capsys, failed)
    assert code == 0 and "NOT RUN" in out and "ConnectionError" in out


def test_a_clean_audit_passes_and_counts(tool, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    deps = [
        {"name": "celery", "version": "5.7.0", "vulns": []},
        {"name": "kombu", "version": "5.6.0", "vulns": []},
        {
            "name": "reliefops",
            "skip_reason": "Dependency not found on PyPI and could not be audited",
        },
    ]
    code, out = _run(tool, monkeypatch, capsys, {"dependencies": deps})
    assert code == 0
    assert "2 packages checked, no known vulnerabilities; 1 could not be checked" in out
