"""Labels of the teams vocabularies in templates (codes are stored)."""

from __future__ import annotations

from typing import Any

from django import template

from reliefops.teams.selectors import language_choices, service_choices

register = template.Library()


@register.filter
def service_label(code: Any) -> str:
    return str(dict(service_choices()).get(code, code))


@register.filter
def language_label(code: Any) -> str:
    return str(dict(language_choices()).get(code, code))
