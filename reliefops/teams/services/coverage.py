"""Writes of the coverage rules (``coverage.edit``, installation-wide: a rule is not about
an area). A rule says how often the people it matches must be visited; the due list
(:func:`reliefops.teams.selectors.people_due`) reads them."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from reliefops.core.actions import Action
from reliefops.core.audit import audit_record
from reliefops.core.errors import InvalidInput
from reliefops.core.permissions import UNSCOPED, Actor, actor_user, require_write
from reliefops.people.choices import Vulnerability
from reliefops.teams.models import CoverageRule

RULE_FIELDS = ("name", "vulnerability", "lives_alone", "min_age", "interval_days", "is_active")


def _check(values: dict[str, Any]) -> None:
    vulnerability = values.get("vulnerability") or ""
    if vulnerability and vulnerability not in Vulnerability.values:
        raise InvalidInput(_("Unknown vulnerability category."), field="vulnerability")
    interval = values.get("interval_days")
    if interval is not None and not 1 <= int(interval) <= 365:
        raise InvalidInput(_("Visit every 1 to 365 days."), field="interval_days")
    min_age = values.get("min_age")
    if min_age is not None and not 0 <= int(min_age) <= 120:
        raise InvalidInput(_("An age is 0 to 120 years."), field="min_age")


def coverage_rule_create(
    *,
    actor: Actor,
    code: str,
    name: str,
    interval_days: int,
    vulnerability: str = "",
    lives_alone: bool | None = None,
    min_age: int | None = None,
) -> CoverageRule:
    require_write(actor, Action.COVERAGE_EDIT, area=UNSCOPED, organisation=UNSCOPED)
    code = (code or "").strip().upper()
    if not code:
        raise InvalidInput(_("A rule needs a code."), field="code")
    values = {
        "name": (name or code).strip(),
        "vulnerability": vulnerability or "",
        "lives_alone": lives_alone,
        "min_age": min_age,
        "interval_days": interval_days,
    }
    _check(values)
    if not (vulnerability or lives_alone is not None or min_age is not None):
        raise InvalidInput(_("A rule needs at least one condition."), field="vulnerability")
    if CoverageRule.objects.filter(code=code).exists():
        raise InvalidInput(_("A rule with this code exists."), field="code")
    with transaction.atomic():
        rule = CoverageRule.objects.create(code=code, created_by=actor_user(actor), **values)
        audit_record(
            actor=actor, action="coverage_rule.create", obj=rule, after={"code": code, **values}
        )
    return rule


def coverage_rule_update(*, actor: Actor, rule: CoverageRule, **changes: Any) -> CoverageRule:
    require_write(actor, Action.COVERAGE_EDIT, area=UNSCOPED, organisation=UNSCOPED)
    unknown = set(changes) - set(RULE_FIELDS)
    if unknown:
        raise InvalidInput(fields={n: [_("Not a field of a coverage rule.")] for n in unknown})
    _check(changes)
    with transaction.atomic():
        before = {n: getattr(rule, n) for n in changes}
        for name, value in changes.items():
            setattr(rule, name, value)
        rule.updated_by = actor_user(actor)
        rule.save()
        audit_record(
            actor=actor, action="coverage_rule.update", obj=rule, before=before, after=changes
        )
    return rule


def coverage_rule_delete(*, actor: Actor, rule: CoverageRule) -> None:
    require_write(actor, Action.COVERAGE_EDIT, area=UNSCOPED, organisation=UNSCOPED)
    with transaction.atomic():
        code = rule.code
        rule.delete()
        audit_record(actor=actor, action="coverage_rule.delete", before={"code": code})
