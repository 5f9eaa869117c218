"""Locale-aware formatting of money. Amounts are integers in the currency's minor unit."""

from decimal import Decimal

from babel.numbers import format_currency, get_currency_precision
from django.utils import translation


def minor_to_decimal(amount_minor: int, currency: str) -> Decimal:
    return Decimal(amount_minor).scaleb(-get_currency_precision(currency))


def format_money(amount_minor: int, currency: str, language: str | None = None) -> str:
    """`format_money(12350, "EUR", "fr")` -> "123,50 €"."""
    language = language or translation.get_language() or "en"
    return format_currency(
        minor_to_decimal(amount_minor, currency), currency, locale=language.replace("-", "_")
    )
