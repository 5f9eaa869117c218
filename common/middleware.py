"""Drop-in replacements for three middlewares of Django and django-csp that answer exactly as
the originals, with less work on each request (issue 17, "Door speed": the badge scanner's
JSON POST passes through the whole stack hundreds of times a second).

- `CSPMiddleware`: the Content-Security-Policy header is built from the settings once per
  process instead of on every response (django-csp rebuilds it, twice, each time). A
  response that a view decorated (`csp_update`, `csp_replace`, ...) or a page that used a
  nonce still gets django-csp's own per-response policy.
- `LocaleMiddleware`: Django asks three times per request whether the path starts with a
  language code; for a path outside the language-prefixed pages (`/api/...`) each answer
  costs a failed lookup (Django caches only the successful ones). Here the answer is found
  once per request and remembered per first path segment, while the same LANGUAGES apply.
- `MessageMiddleware`: the message storage (a cookie signer and a session storage) is made
  only when the request uses messages; a request that never touched them saves nothing, as
  before (Django's `update()` of an unused storage writes no cookie and no session).
"""

from functools import lru_cache

from csp import middleware as csp_middleware
from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.utils import build_policy
from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.contrib.messages import middleware as messages_middleware
from django.contrib.messages.storage import default_storage
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.middleware import locale
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.functional import SimpleLazyObject, empty
from django.utils.translation import trans_real

_CSP_SETTINGS = frozenset({"CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY"})
_LANGUAGE_SETTINGS = frozenset({"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS"})
# What a view or a template can set to change the policy of one response (django-csp).
_POLICY_ATTRIBUTES = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
)


@lru_cache(maxsize=2)
def _settings_policy(report_only: bool) -> str:
    """django-csp's policy of a response with no per-response parts, from the settings."""
    return build_policy(report_only=report_only)


class CSPMiddleware(csp_middleware.CSPMiddleware):
    def process_response(self, request, response):
        if getattr(request, "_csp_nonce", None) is not None or any(
            getattr(response, name, None) is not None for name in _POLICY_ATTRIBUTES
        ):
            return super().process_response(request, response)
        # From here on, django-csp's process_response with the settings' policy.
        if response.status_code in (500, 404) and settings.DEBUG:
            return response
        for header, report_only, exempt, setting in (
            (HEADER, False, "_csp_exempt", "CONTENT_SECURITY_POLICY"),
            (HEADER_REPORT_ONLY, True, "_csp_exempt_ro", "CONTENT_SECURITY_POLICY_REPORT_ONLY"),
        ):
            policy = _settings_policy(report_only)
            if not policy or header in response or getattr(response, exempt, False) is not False:
                continue
            prefixes = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES") or ()
            if not request.path_info.startswith(tuple(prefixes)):
                response[header] = policy
        # As django-csp: reading request.csp_nonce after the header is written is an error.
        request.csp_nonce = csp_middleware.CheckableLazyObject(self._csp_nonce_post_response)
        return response


@lru_cache(maxsize=256)
def _language_of_segment(segment: str) -> str | None:
    """`get_language_from_path` of a path starting with `/<segment>/`."""
    return translation.get_language_from_path(f"/{segment}/")


def language_from_path(path: str) -> str | None:
    """`translation.get_language_from_path(path)`, remembered per first path segment (the
    answer depends on that segment and LANGUAGES only)."""
    match = trans_real.language_code_prefix_re.match(path)
    return _language_of_segment(match[1]) if match else None


class LocaleMiddleware(locale.LocaleMiddleware):
    """Django's LocaleMiddleware, with the path's language looked up once per request."""

    def process_request(self, request):
        urlconf = getattr(request, "urlconf", settings.ROOT_URLCONF)
        i18n_patterns_used, prefixed_default_language = is_language_prefix_patterns_used(urlconf)
        language_from = language_from_path(request.path_info)
        request._language_from_path = (request.path_info, language_from)
        if i18n_patterns_used and language_from is not None:
            # get_language_from_request(check_path=True) answers the path's language first.
            language = language_from
        else:
            language = translation.get_language_from_request(request, check_path=False)
        if not language_from and i18n_patterns_used and not prefixed_default_language:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        path, language_from = getattr(request, "_language_from_path", (None, None))
        if path != request.path_info:
            language_from = language_from_path(request.path_info)
        urlconf = getattr(request, "urlconf", settings.ROOT_URLCONF)
        i18n_patterns_used, prefixed_default_language = is_language_prefix_patterns_used(urlconf)
        if (
            response.status_code == 404
            and not language_from
            and i18n_patterns_used
            and prefixed_default_language
        ):
            # Perhaps the language prefix is missing: Django's own redirect to the prefixed URL.
            return super().process_response(request, response)
        if not (i18n_patterns_used and language_from):
            patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


class MessageMiddleware(messages_middleware.MessageMiddleware):
    def process_request(self, request):
        request._messages = SimpleLazyObject(lambda: default_storage(request))

    def process_response(self, request, response):
        storage = getattr(request, "_messages", None)
        if isinstance(storage, SimpleLazyObject) and storage._wrapped is empty:
            return response  # never used: Django's update() would write nothing
        return super().process_response(request, response)


@receiver(setting_changed)
def _forget_settings(*, setting, **kwargs) -> None:
    if setting in _CSP_SETTINGS:
        _settings_policy.cache_clear()
    if setting in _LANGUAGE_SETTINGS:
        _language_of_segment.cache_clear()
