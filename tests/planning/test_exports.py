"""The planning package's public names stay what they are, whatever submodules were imported
(a submodule named like an exported function would replace it on the package)."""

from __future__ import annotations

import importlib
import pkgutil
import types

import reliefops.planning as planning


def test_no_submodule_shadows_an_exported_name() -> None:
    for info in pkgutil.iter_modules(planning.__path__):
        importlib.import_module(f"{planning.__name__}.{info.name}")
    shadowed = [n for n in planning.__all__ if isinstance(getattr(planning, n), types.ModuleType)]
    assert shadowed == []
