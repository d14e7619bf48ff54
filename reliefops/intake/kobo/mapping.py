"""The mapping of a form's answers to the columns of a ReliefOps kind.

A mapping is JSON (stored on the :class:`~reliefops.intake.kobo.models.FormLink`, shipped
beside the example forms in ``forms/*.mapping.json``)::

    {
      "geopoint": "visit/location",          # optional: where the submission was made
      "fields": {                            # target column → rule
        "id":       {"source": "$record_id"},
        "person":   {"source": "visit/person_ref", "required": true},
        "team":     "visit/team_code",        # shorthand: {"source": "visit/team_code"}
        "outcome":  {"source": "visit/outcome", "transform": "choice",
                     "values": {"home": "visited", "away": "not_at_home"}},
        "services": {"source": "visit/services", "transform": "select_multiple"},
        "visited_at": {"source": ["visit/visited_at", "end"], "transform": "datetime"},
        "method":   {"constant": "count"}
      }
    }

A rule has ``source`` (a slash path of the flattened answers — see
:func:`reliefops.intake.kobo.payloads.flatten` — or a list of paths, the first one answered
wins) or ``constant``; ``transform`` (below; default ``text``); ``values`` (a value map for
``choice`` and ``select_multiple``: an answer outside it is refused unless ``"strict":
false``, which passes it through); ``required`` (refuse the submission when no answer);
``default`` (used when there is no answer); ``timezone`` (for ``datetime`` answers without
an offset; default the installation's ``TIME_ZONE``).

Transforms: ``text``, ``integer``, ``decimal``, ``boolean``, ``date``, ``datetime``,
``choice``, ``select_multiple`` (XLSForm's space-separated list → a list), ``place`` (a
place name in any language or script, or a P-code → the P-code, through the project's one
place resolver :func:`reliefops.places.selectors.place_resolve`, ties settled by the
submission's location), ``latitude`` and ``longitude`` (of a geopoint in any shape).

Sources beginning with ``$`` are the submission's metadata: ``$instance_id``,
``$root_id`` (the first instance of an edit chain), ``$record_id`` (a UUID derived from the
root: the same for a submission and all its edits, so a kind keyed by ``id`` updates the
record the first one created), ``$submitted_by``, ``$submitted_at``, ``$form_version``.

Every mapped column is sent, ``null`` when there is no answer, so an edit that clears an
answer clears the value. Errors name the source path AND the target column.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reliefops.core.errors import ApplicationError, InvalidInput
from reliefops.intake.kobo.payloads import geopoint_parse
from reliefops.places.selectors import place_resolve

TRANSFORMS = (
    "text",
    "integer",
    "decimal",
    "boolean",
    "date",
    "datetime",
    "choice",
    "select_multiple",
    "place",
    "latitude",
    "longitude",
)
META_SOURCES = (
    "$instance_id",
    "$root_id",
    "$record_id",
    "$submitted_by",
    "$submitted_at",
    "$form_version",
)
RULE_KEYS = frozenset(
    {"source", "constant", "transform", "values", "strict", "required", "default", "timezone"}
)
TRUE_TEXTS = frozenset({"1", "true", "yes", "y", "да", "bəli", "այո"})
FALSE_TEXTS = frozenset({"0", "false", "no", "n", "нет", "xeyr", "ոչ"})
_MISSING: Any = object()


class MappingInvalid(InvalidInput):
    """The mapping itself is wrong (when a form link is saved)."""

    code = "mapping_invalid"
    default_message = gettext_lazy("The mapping is not valid.")


class AnswerInvalid(InvalidInput):
    """The submission's answers do not fit the mapping; ``details["errors"]`` lists each
    problem with its ``source`` path and ``field`` (target column)."""

    code = "answer_invalid"
    default_message = gettext_lazy("The submission's answers do not fit the form's mapping.")


@dataclass(frozen=True)
class FieldError:
    field: str
    source: str
    message: str
    value: Any = None

    def as_dict(self) -> dict[str, Any]:
        value = self.value if isinstance(self.value, (str, int, float, bool)) else None
        if isinstance(value, str):
            value = value[:200]
        return {"field": self.field, "source": self.source, "message": self.message, "value": value}


def answer_invalid(errors: list[FieldError]) -> AnswerInvalid:
    """One error for all of a submission's problems, its message naming the first."""
    first = errors[0]
    message = _("%(source)s → %(field)s: %(message)s") % {
        "source": first.source or "—",
        "field": first.field,
        "message": first.message,
    }
    if len(errors) > 1:
        message += " " + _("(and %(count)s more)") % {"count": len(errors) - 1}
    return AnswerInvalid(
        message,
        errors=[e.as_dict() for e in errors],
        fields={e.field: [e.message] for e in errors},
        sources={e.field: e.source for e in errors},
    )


@dataclass(frozen=True)
class Rule:
    """How one target column gets its value."""

    target: str
    sources: tuple[str, ...] = ()
    constant: Any = _MISSING
    transform: str = "text"
    values: Mapping[str, Any] | None = None
    strict: bool = True
    required: bool = False
    default: Any = None
    timezone: str = ""

    @property
    def source(self) -> str:
        """The source path(s) as errors name them."""
        if self.constant is not _MISSING:
            return "(constant)"
        return " | ".join(self.sources)


@dataclass(frozen=True)
class Meta:
    """The submission's metadata, the values of the ``$`` sources."""

    instance_id: str = ""
    root_id: str = ""
    record_id: str = ""
    submitted_by: str = ""
    submitted_at: dt.datetime | None = None
    form_version: str = ""
    geolocation: tuple[float, float] | None = None

    def value(self, source: str) -> Any:
        value = getattr(self, source[1:])
        return value.isoformat() if isinstance(value, dt.datetime) else value


@dataclass(frozen=True)
class FormMapping:
    """A parsed, checked mapping; :meth:`apply` maps one submission's answers."""

    rules: tuple[Rule, ...]
    geopoint: str = ""
    spec: dict[str, Any] = field(default_factory=dict, compare=False)

    @classmethod
    def parse(cls, spec: Any, *, columns: Iterable[str] | None = None) -> FormMapping:
        """Read and check a mapping (:class:`MappingInvalid` listing every problem);
        ``columns``: the kind's column names every target must be one of."""
        problems: list[str] = []
        if not isinstance(spec, dict):
            raise MappingInvalid(_("The mapping must be a JSON object."))
        unknown_keys = sorted(set(spec) - {"fields", "geopoint"})
        if unknown_keys:
            problems.append(_("Unknown keys: %(keys)s.") % {"keys": ", ".join(unknown_keys)})
        fields = spec.get("fields")
        if not isinstance(fields, dict) or not fields:
            raise MappingInvalid(_("The mapping needs “fields”: target column → rule."))
        known = set(columns) if columns is not None else None
        rules = []
        for target, raw in fields.items():
            rule = _rule(str(target), raw, problems)
            if known is not None and target not in known:
                problems.append(
                    _("“%(target)s” is not a column of this kind (%(columns)s).")
                    % {"target": target, "columns": ", ".join(sorted(known))}
                )
            if rule is not None:
                rules.append(rule)
        geopoint = spec.get("geopoint", "")
        if not isinstance(geopoint, str):
            problems.append(_("“geopoint” must be a source path."))
            geopoint = ""
        if problems:
            raise MappingInvalid(
                _("The mapping is not valid: %(problems)s") % {"problems": " ".join(problems)},
                problems=problems,
            )
        return cls(rules=tuple(rules), geopoint=geopoint, spec=spec)

    def source_of(self, target: str) -> str:
        return next((r.source for r in self.rules if r.target == target), "")

    def location(self, answers: Mapping[str, Any]) -> tuple[float, float] | None:
        """The submission's location from the ``geopoint`` answer (None if unreadable)."""
        if not self.geopoint:
            return None
        try:
            return geopoint_parse(answers.get(self.geopoint))
        except ValueError:
            return None

    def apply(self, answers: Mapping[str, Any], meta: Meta) -> dict[str, Any]:
        """The kind's ``data`` for these answers; :class:`AnswerInvalid` naming every
        (source, target) that is missing or cannot be read. Values are JSON: text,
        numbers, booleans, lists, null."""
        data: dict[str, Any] = {}
        errors: list[FieldError] = []
        for rule in self.rules:
            raw, path = self._raw(rule, answers, meta)
            if _empty(raw):
                if rule.default is not None:
                    raw = rule.default
                elif rule.required:
                    errors.append(FieldError(rule.target, path, _("An answer is required.")))
                    continue
                else:
                    data[rule.target] = None
                    continue
            try:
                data[rule.target] = _convert(rule, raw, meta)
            except (ValueError, ApplicationError) as exc:
                message = exc.message if isinstance(exc, ApplicationError) else str(exc)
                errors.append(FieldError(rule.target, path, str(message), raw))
        if errors:
            raise answer_invalid(errors)
        return data

    @staticmethod
    def _raw(rule: Rule, answers: Mapping[str, Any], meta: Meta) -> tuple[Any, str]:
        if rule.constant is not _MISSING:
            return rule.constant, "(constant)"
        for source in rule.sources:
            value = meta.value(source) if source.startswith("$") else answers.get(source)
            if not _empty(value):
                return value, source
        return None, rule.source


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _rule(target: str, raw: Any, problems: list[str]) -> Rule | None:
    if isinstance(raw, str):
        raw = {"source": raw}
    if not isinstance(raw, dict):
        problems.append(_("%(target)s: a rule is a source path or an object.") % {"target": target})
        return None
    unknown = sorted(set(raw) - RULE_KEYS)
    if unknown:
        problems.append(
            _("%(target)s: unknown keys %(keys)s.") % {"target": target, "keys": ", ".join(unknown)}
        )
    transform = raw.get("transform", "text")
    if transform not in TRANSFORMS:
        problems.append(
            _("%(target)s: unknown transform “%(transform)s” (one of %(known)s).")
            % {"target": target, "transform": transform, "known": ", ".join(TRANSFORMS)}
        )
    source = raw.get("source")
    sources: tuple[str, ...] = ()
    if isinstance(source, str) and source.strip():
        sources = (source.strip(),)
    elif isinstance(source, list) and source and all(isinstance(s, str) for s in source):
        sources = tuple(s.strip() for s in source)
    elif source is not None:
        problems.append(
            _("%(target)s: “source” is a path or a list of paths.") % {"target": target}
        )
    has_constant = "constant" in raw
    if not sources and not has_constant:
        problems.append(_("%(target)s: give a “source” or a “constant”.") % {"target": target})
    for path in sources:
        if path.startswith("$") and path not in META_SOURCES:
            problems.append(
                _("%(target)s: unknown metadata source %(path)s (one of %(known)s).")
                % {"target": target, "path": path, "known": ", ".join(META_SOURCES)}
            )
    values = raw.get("values")
    if values is not None and (
        not isinstance(values, dict) or transform not in ("choice", "select_multiple")
    ):
        problems.append(
            _("%(target)s: “values” is an object, for the choice and select_multiple transforms.")
            % {"target": target}
        )
        values = None
    timezone = raw.get("timezone", "")
    if timezone:
        try:
            zoneinfo.ZoneInfo(str(timezone))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            problems.append(
                _("%(target)s: unknown time zone %(tz)s.") % {"target": target, "tz": timezone}
            )
            timezone = ""
    return Rule(
        target=target,
        sources=sources,
        constant=raw["constant"] if has_constant else _MISSING,
        transform=transform if transform in TRANSFORMS else "text",
        values={str(k): v for k, v in values.items()} if isinstance(values, dict) else None,
        strict=bool(raw.get("strict", True)),
        required=bool(raw.get("required", False)),
        default=raw.get("default"),
        timezone=str(timezone),
    )


# --------------------------------------------------------------------------- transforms


def _scalar_text(value: Any) -> str:
    if isinstance(value, (dict, list)):
        raise ValueError(_("Expected one value, got a list or a group."))
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _integer(rule: Rule, value: Any, meta: Meta) -> int:
    if isinstance(value, bool):
        raise ValueError(_("Not a whole number."))
    if isinstance(value, int):
        return value
    try:
        number = Decimal(_scalar_text(value).replace(",", "."))
    except InvalidOperation:
        raise ValueError(_("Not a whole number.")) from None
    if not number.is_finite() or number != number.to_integral_value():
        raise ValueError(_("Not a whole number."))
    return int(number)


def _decimal(rule: Rule, value: Any, meta: Meta) -> str:
    if isinstance(value, bool):
        raise ValueError(_("Not a number."))
    try:
        number = Decimal(_scalar_text(value).replace(",", "."))
    except InvalidOperation:
        raise ValueError(_("Not a number.")) from None
    if not number.is_finite():
        raise ValueError(_("Not a number."))
    return format(number.normalize(), "f")


def _boolean(rule: Rule, value: Any, meta: Meta) -> bool:
    if isinstance(value, bool):
        return value
    text = _scalar_text(value).lower()
    if text in TRUE_TEXTS:
        return True
    if text in FALSE_TEXTS:
        return False
    raise ValueError(_("Not yes or no."))


def _moment(text: str) -> dt.datetime | dt.date:
    text = text.strip().replace("Z", "+00:00")
    if len(text) == 10:
        return dt.date.fromisoformat(text)
    return dt.datetime.fromisoformat(text.replace(" ", "T", 1))


def _date(rule: Rule, value: Any, meta: Meta) -> str:
    try:
        moment = _moment(_scalar_text(value))
    except ValueError:
        raise ValueError(_("Not a date (YYYY-MM-DD).")) from None
    return (moment.date() if isinstance(moment, dt.datetime) else moment).isoformat()


def _datetime(rule: Rule, value: Any, meta: Meta) -> str:
    try:
        moment = _moment(_scalar_text(value))
    except ValueError:
        raise ValueError(
            _("Not a date and time (ISO 8601, e.g. 2023-09-27T10:15+04:00).")
        ) from None
    if not isinstance(moment, dt.datetime):
        moment = dt.datetime.combine(moment, dt.time())
    if moment.tzinfo is None:
        zone = zoneinfo.ZoneInfo(rule.timezone or settings.TIME_ZONE)
        moment = moment.replace(tzinfo=zone)
    return moment.isoformat()


def _mapped(rule: Rule, text: str) -> Any:
    if rule.values is None:
        return text
    if text in rule.values:
        return rule.values[text]
    if rule.strict:
        raise ValueError(
            _("“%(value)s” is not one of the mapped choices (%(known)s).")
            % {"value": text[:60], "known": ", ".join(sorted(rule.values))}
        )
    return text


def _choice(rule: Rule, value: Any, meta: Meta) -> Any:
    return _mapped(rule, _scalar_text(value))


def _select_multiple(rule: Rule, value: Any, meta: Meta) -> list[Any]:
    items = value if isinstance(value, list) else _scalar_text(value).split()
    result: list[Any] = []
    for item in items:
        mapped = _mapped(rule, _scalar_text(item))
        for one in mapped if isinstance(mapped, list) else [mapped]:
            if one not in result:
                result.append(one)
    return result


def _place(rule: Rule, value: Any, meta: Meta) -> str:
    return str(place_resolve(_scalar_text(value), near=meta.geolocation).code)


def _coordinate(index: int) -> Callable[[Rule, Any, Meta], float]:
    def convert(rule: Rule, value: Any, meta: Meta) -> float:
        try:
            point = geopoint_parse(value)
        except ValueError:
            point = None
        if point is None:
            raise ValueError(_("Not a geopoint (latitude longitude)."))
        return point[index]

    return convert


CONVERTERS: dict[str, Callable[[Rule, Any, Meta], Any]] = {
    "text": lambda rule, value, meta: _scalar_text(value),
    "integer": _integer,
    "decimal": _decimal,
    "boolean": _boolean,
    "date": _date,
    "datetime": _datetime,
    "choice": _choice,
    "select_multiple": _select_multiple,
    "place": _place,
    "latitude": _coordinate(0),
    "longitude": _coordinate(1),
}


def _convert(rule: Rule, raw: Any, meta: Meta) -> Any:
    if rule.constant is not _MISSING and rule.transform == "text":
        return rule.constant  # a constant is already the value
    return CONVERTERS[rule.transform](rule, raw, meta)
