"""Words, not codes, for what registrations store as machine codes."""

from django import template

from registrations.services.fees import fee_reason_labels as _fee_reason_labels

register = template.Library()


@register.filter
def fee_reason_labels(codes) -> str:
    """`{{ registration.fee_reasons|fee_reason_labels }}`: "Country group rate, Member rate"."""
    return ", ".join(_fee_reason_labels(codes))
