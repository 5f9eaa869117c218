"""The language switcher's links: this page in each of the site's languages."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """[{code, name, url, current}] for each language, or [] when this page has no language
    prefix in its address (the private and privacy pages): base.html then shows the
    language form, which remembers the choice in a cookie.

    Links instead of a form where the address carries the language: nothing per visitor
    (no CSRF token) is left on a public page, so the same page can be cached whole and
    served to every visitor of a language (sessions.programme_cache), and a link works
    without JavaScript and from a page saved for offline reading.
    """
    request = context.get("request")
    if request is None:
        return []
    current = get_language()
    path = request.get_full_path()
    links = []
    for code, _name in settings.LANGUAGES:
        url = path if code == current else translate_url(path, code)
        if url == path and code != current:
            return []
        links.append(
            {
                "code": code,
                "name": get_language_info(code)["name_local"],
                "url": url,
                "current": code == current,
            }
        )
    return links
