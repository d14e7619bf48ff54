"""reliefops.planning is pure Python: importing every module must not import Django."""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import reliefops.planning

PACKAGE_DIR = Path(reliefops.planning.__file__).parent


def test_importing_every_planning_module_loads_no_django() -> None:
    modules = [m.name for m in pkgutil.walk_packages([str(PACKAGE_DIR)], "reliefops.planning.")]
    assert "reliefops.planning.solver" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {['reliefops.planning', *modules]!r}:\n"
        "    importlib.import_module(name)\n"
        "leaked = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "print(','.join(leaked))\n"
    )
    env = {"PATH": "", "PYTHONPATH": str(PACKAGE_DIR.parents[1])}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert result.stdout.strip() == ""


def test_no_planning_source_file_imports_django() -> None:
    offenders = []
    for path in PACKAGE_DIR.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [
                f"{path.name}: {n}"
                for n in names
                if n.split(".")[0] in {"django", "rest_framework", "celery"}
            ]
    assert offenders == []
