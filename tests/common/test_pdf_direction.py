"""common.pdf: a line's base direction comes from its language, not its first letter."""

import unicodedata

import pytest

from common.pdf import (
    LTR,
    RTL,
    direction_of_language,
    isolate,
    prepare_text,
    value_direction,
    visual_form,
)


def _folded(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


@pytest.mark.parametrize(
    ("language", "expected"), [("ar", RTL), ("fa", RTL), ("fr", LTR), ("en", LTR), ("xx", LTR)]
)
def test_direction_of_language(language, expected):
    assert direction_of_language(language) == expected


def test_rtl_line_mirrors_its_brackets():
    # Drawn left to right, "شارك(ت)" must show "(ت)" next to the word's last letter.
    assert _folded(visual_form("شارك(ت)", RTL)) == "(ت)كراش"


def test_rtl_line_of_latin_hours_keeps_them_in_order_when_isolated():
    line = "الجلسات المحضورة: " + isolate("1 h 30 min")

    assert _folded(visual_form(line, RTL)) == "1 h 30 min :ةروضحملا تاسلجلا"


def test_rtl_line_without_isolate_reorders_latin_hours():
    # The control: this is what "1 min 30 h" on the certificate came from.
    assert visual_form("1 h 30 min", RTL) == "h 30 min 1"


def test_ltr_line_starting_with_an_arabic_name_stays_left_to_right():
    line = isolate("مكافحة الإرهاب") + ": " + isolate("1 h 30")

    assert visual_form(line, LTR) == visual_form("مكافحة الإرهاب") + ": 1 h 30"


def test_prepared_text_draws_no_bidi_control_character():
    prepared = prepare_text("Sessions: " + isolate("1 h 30"), direction=LTR)

    assert (prepared.visual_text, prepared.is_rtl) == ("Sessions: 1 h 30", False)


def test_prepared_text_direction_defaults_to_the_first_letter_for_a_name():
    assert (prepare_text("أمينة Ben").is_rtl, prepare_text("Amina بن").is_rtl) == (True, False)


@pytest.mark.parametrize(
    ("value", "reader", "expected"),
    [
        ("ACAT تونس (فرع 2)", RTL, RTL),  # has Arabic: an Arabic reader reads it their way
        ("FIAN Deutschland e.V.", RTL, LTR),  # no Arabic letter: its own direction
        ("45%", RTL, LTR),  # figures alone read left to right
        ("أمينة Ben Salem", LTR, LTR),
        ("أمينة بن سالم (2)", LTR, RTL),
    ],
)
def test_value_direction_is_the_readers_when_the_value_has_its_letters(value, reader, expected):
    assert value_direction(value, reader) == expected


def test_latin_value_drawn_right_to_left_moves_its_full_stop():
    # The control: why a value with no Arabic letter keeps its own direction.
    assert visual_form("FIAN Deutschland e.V.", RTL) == ".FIAN Deutschland e.V"
