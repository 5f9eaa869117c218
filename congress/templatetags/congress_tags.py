from django import template

from common.formatting import format_money
from common.i18n import localized as localized_text

register = template.Library()


@register.filter
def money(amount_minor: int | None, currency: str) -> str:
    if amount_minor is None:
        return ""
    return format_money(int(amount_minor), currency)


@register.simple_tag
def localized(obj: object, field: str = "name") -> str:
    """`{% localized track "name" %}`: the field in the active language."""
    return localized_text(getattr(obj, field), getattr(obj, f"{field}_translations", None))


@register.simple_tag(takes_context=True)
def backoffice_links(context, congress) -> list[dict]:
    """The organiser menu of `congress` for the current user, the current page marked."""
    from congress.navigation import Audience, links_for

    request = context["request"]
    links = links_for(audience=Audience.STAFF, congress=congress, user=request.user)
    # The current page is the longest link the path starts with (the dashboard's URL is a
    # prefix of the team page's).
    matching = [link["url"] for link in links if request.path.startswith(link["url"])]
    current = max(matching, key=len, default=None)
    for link in links:
        link["current"] = link["url"] == current
    return links
