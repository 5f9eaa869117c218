from django import template

from badges.labels import reason_label as _reason_label

register = template.Library()


@register.filter
def reason_label(code: str) -> str:
    """`{{ scan.reason|reason_label }}`: "Not signed up for this session", not a code."""
    return _reason_label(code or "")
