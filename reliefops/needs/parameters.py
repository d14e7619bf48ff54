"""Parameters of the estimators: a declared schema (:class:`Parameter`) per estimator
(:class:`Estimator`), its one check (:meth:`Estimator.validate`, which the settings form
and the service both call) and how saved values lie over the defaults.

The estimators and their parameters are declared in :mod:`reliefops.needs.estimators`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from reliefops.stock.choices import unit_label


@dataclass(frozen=True)
class Parameter:
    """One editable parameter of an estimator: ``name`` is its dotted path in the
    parameters (``occupancy.school``), ``kind`` ``float``/``int``/``str``; the default
    is read from the estimator's defaults. ``minimum``/``maximum`` are inclusive."""

    name: str
    kind: str
    default: Any
    label: Any
    group: Any
    unit: Any = ""
    minimum: float | None = None
    maximum: float | None = None
    help: Any = ""
    choices: tuple[str, ...] = ()
    blank: bool = False
    #: In a family shown as a table (fuels, food basket): this parameter's column head;
    #: ``label`` is then the row's.
    column: Any = ""

    @property
    def family(self) -> bool:
        """One of a family (``occupancy.school``): labelled by its member, so the unit is
        shown apart; a single value's label carries its unit."""
        return "." in self.name

    def choice_pairs(self) -> list[tuple[str, str]]:
        """``choices`` with what people read (units in their language)."""
        return [(c, unit_label(c)) for c in self.choices]

    def parse(self, value: Any) -> Any:
        """``value`` as this parameter's type, in range; ``ValueError`` says why not."""
        if self.kind == "str":
            text = "" if value is None else str(value).strip()
            if not text and not self.blank:
                raise ValueError(_("A value is required."))
            if len(text) > 32:
                raise ValueError(_("At most 32 characters."))
            if self.choices and text not in self.choices:
                raise ValueError(
                    _("Choose one of: %(choices)s.") % {"choices": ", ".join(self.choices)}
                )
            return text
        if isinstance(value, bool) or value is None or value == "":
            raise ValueError(_("A number is required."))
        try:
            number = (
                float(str(value).strip().replace(",", "."))
                if isinstance(value, str)
                else float(value)
            )
        except (TypeError, ValueError):
            raise ValueError(_("A number is required.")) from None
        if not math.isfinite(number):
            raise ValueError(_("A number is required."))
        if self.kind == "int":
            if number != int(number):
                raise ValueError(_("A whole number is required."))
            number = int(number)
        if self.minimum is not None and number < self.minimum:
            raise ValueError(_("Must be at least %(min)s.") % {"min": f"{self.minimum:g}"})
        if self.maximum is not None and number > self.maximum:
            raise ValueError(_("Must be at most %(max)s.") % {"max": f"{self.maximum:g}"})
        return number


class ParameterError(ValueError):
    """Parameters an estimator refuses: ``errors`` maps each parameter name to messages."""

    def __init__(self, errors: Mapping[str, Sequence[str]]) -> None:
        self.errors = {name: [str(m) for m in messages] for name, messages in errors.items()}
        super().__init__("; ".join(f"{name}: {' '.join(m)}" for name, m in self.errors.items()))


def parameters_flatten(values: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested parameters as ``{"occupancy.school": 0.6, …}`` (dotted keys pass through)."""
    flat: dict[str, Any] = {}
    for key, value in values.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(parameters_flatten(value, f"{name}."))
        else:
            flat[name] = value
    return flat


def _nested_set(target: dict[str, Any], name: str, value: Any) -> None:
    *path, last = name.split(".")
    for key in path:
        target = target.setdefault(key, {})
    target[last] = value


def _nested_get(source: Mapping[str, Any], name: str) -> Any:
    value: Any = source
    for key in name.split("."):
        value = value[key]
    return value


@dataclass(frozen=True)
class Estimator:
    """An estimator's key, label, defaults and parameter schema. The schema drives the
    settings form, and :meth:`validate` is the one check of a coordinator's values (the
    form and the service both call it)."""

    key: str
    label: Any
    defaults: Mapping[str, Any]
    parameters: tuple[Parameter, ...]
    #: Checks across parameters: every value by name → messages per parameter name.
    check: Callable[[dict[str, Any]], dict[str, list[str]]] | None = None

    def parameter(self, name: str) -> Parameter | None:
        return next((p for p in self.parameters if p.name == name), None)

    def validate(self, values: Any) -> dict[str, Any]:
        """``values`` (nested or dotted names) checked and typed, as dotted names.

        Raises :class:`ParameterError` naming every unknown or out-of-range parameter.
        """
        if not isinstance(values, Mapping):
            raise ParameterError({"parameters": [_("Give the parameters as names and values.")]})
        errors: dict[str, list[str]] = {}
        clean: dict[str, Any] = {}
        for name, raw in parameters_flatten(values).items():
            parameter = self.parameter(name)
            if parameter is None:
                errors[name] = [_("Unknown parameter.")]
                continue
            try:
                clean[name] = parameter.parse(raw)
            except ValueError as exc:
                errors[name] = [str(exc)]
        if self.check is not None and not errors:
            errors.update(self.check({**self.values({}), **clean}))
        if errors:
            raise ParameterError(errors)
        return clean

    def overrides(self, clean: Mapping[str, Any]) -> dict[str, Any]:
        """The validated values that differ from the defaults, nested (what is stored)."""
        nested: dict[str, Any] = {}
        for name, value in sorted(clean.items()):
            parameter = self.parameter(name)
            if parameter is not None and value != parameter.default:
                _nested_set(nested, name, value)
        return nested

    def values(self, overrides: Any) -> dict[str, Any]:
        """Every parameter's value (dotted names): the defaults with the stored overrides
        that are still valid (a stored value the schema no longer takes is ignored)."""
        result = {p.name: p.default for p in self.parameters}
        if isinstance(overrides, Mapping):
            for name, raw in parameters_flatten(overrides).items():
                parameter = self.parameter(name)
                if parameter is None:
                    continue
                try:
                    result[name] = parameter.parse(raw)
                except ValueError:
                    continue
        return result

    def effective(self, overrides: Any) -> dict[str, Any]:
        """The parameters the estimate uses (nested): :meth:`values` over the defaults."""
        merged = parameters_merge(self.defaults, None)
        for name, value in self.values(overrides).items():
            _nested_set(merged, name, value)
        return merged


def parameters_merge(defaults: Mapping[str, Any], overrides: Mapping[str, Any] | None) -> dict:
    """Defaults with a coordinator's overrides (nested dictionaries merged key by key)."""
    merged: dict[str, Any] = {}
    for key, value in defaults.items():
        override = (overrides or {}).get(key)
        if isinstance(value, Mapping) and isinstance(override, Mapping):
            merged[key] = parameters_merge(value, override)
        elif override is not None:
            merged[key] = override
        else:
            merged[key] = value if not isinstance(value, Mapping) else dict(value)
    for key, value in (overrides or {}).items():
        merged.setdefault(key, value)
    return merged
