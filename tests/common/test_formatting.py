import pytest

from common.formatting import format_money


@pytest.mark.parametrize(
    ("amount_minor", "currency", "language", "expected"),
    [
        (12350, "EUR", "en", "€123.50"),
        (12350, "EUR", "fr", "123,50\xa0€"),
        (1500, "JPY", "en", "¥1,500"),
        (1234500, "EUR", "fr", "12\u202f345,00\xa0€"),
    ],
)
def test_format_money_uses_locale_and_currency_precision(
    amount_minor, currency, language, expected
):
    assert format_money(amount_minor, currency, language) == expected


def test_format_money_in_arabic_keeps_currency_symbol():
    assert format_money(12350, "EUR", "ar").endswith("123.50\xa0€")
