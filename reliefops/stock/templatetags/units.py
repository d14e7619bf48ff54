"""``{{ code|unit }}``: a unit code as people read it in their language (``litre`` → "литр")."""

from django import template

from reliefops.stock.choices import unit_label

register = template.Library()


@register.filter
def unit(code: str | None) -> str:
    return unit_label(code or "")
