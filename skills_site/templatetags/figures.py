"""Template filters for figures: ``{{ cost|baht }}`` and ``{{ hours|number:1 }}`` (skills_site/numbers.py)."""

from django import template

from skills_site import numbers

register = template.Library()


@register.filter
def baht(value) -> str:
    return numbers.baht(value)


@register.filter
def number(value, places: int = 0) -> str:
    return numbers.number(value, places)
