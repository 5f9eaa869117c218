from django import template

from common.formatting import format_money

register = template.Library()


@register.filter
def amounts(by_currency) -> str:
    """`{{ owed.paid|amounts }}`: "€1,200.00 · CHF 300.00" (currencies sorted, zeros left out)."""
    if not by_currency:
        return "—"
    parts = [
        format_money(int(amount), currency)
        for currency, amount in sorted(dict(by_currency).items())
        if amount
    ]
    return " · ".join(parts) or "—"


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
