"""Helpers for content that organisers write in several languages.

Models keep a canonical text (`name`, `title`) plus `*_translations`, a dict keyed by
language code. `localized()` picks the active language, falling back to the canonical text.
"""

from django.utils import translation


def localized(canonical: str, translations: dict | None, language: str | None = None) -> str:
    language = language or translation.get_language() or "en"
    if translations:
        for code in (language, language.split("-")[0]):
            text = translations.get(code)
            if text:
                return text
    return canonical
