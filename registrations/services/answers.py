"""Registration answers: the one validator behind the form, the API and group registration.

The HTML form, the API and group registration all call `validate_answers`, so a client of the
API can store nothing the form would refuse (as pretalx shares one validator between its
frontend and its API).
"""

import datetime

from django.utils.translation import gettext as _

from common.i18n import localized
from congress.models import Congress
from registrations import queries
from registrations.exceptions import AnswerError, InvalidAnswers
from registrations.models import Question, RegistrationCategory

# The longest answer a question accepts, in characters (the form's inputs say the same).
MAX_ANSWER_LENGTH = {Question.Kind.TEXT: 500, Question.Kind.LONG_TEXT: 2000}
# An unknown question code is echoed in the error; a longer one is cut to this length.
MAX_ECHOED_CODE = 50

TEXT_KINDS = (Question.Kind.TEXT, Question.Kind.LONG_TEXT)


def _label(question: Question) -> str:
    return localized(question.label, question.label_translations)


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _clean_text(question: Question, value: object) -> str | AnswerError:
    if not isinstance(value, str):
        return AnswerError(
            "invalid_type",
            _("“%(question)s”: the answer must be text.") % {"question": _label(question)},
        )
    if "\x00" in value:
        return AnswerError(
            "null_character",
            _("“%(question)s”: the answer contains a null character.")
            % {"question": _label(question)},
        )
    value = value.strip()
    limit = MAX_ANSWER_LENGTH[question.kind]
    if len(value) > limit:
        return AnswerError(
            "too_long",
            _("“%(question)s”: the answer is too long (%(limit)s characters at most).")
            % {"question": _label(question), "limit": limit},
        )
    return value


def _clean_choice(question: Question, value: object) -> str | AnswerError:
    allowed = [str(item.get("value", "")) for item in question.choices]
    if isinstance(value, str) and value.strip() in allowed:
        return value.strip()
    return AnswerError(
        "invalid_choice",
        _("“%(question)s”: choose one of the options offered.") % {"question": _label(question)},
    )


def _clean_date(question: Question, value: object) -> str | AnswerError:
    try:
        return datetime.date.fromisoformat(value.strip()).isoformat()
    except (AttributeError, TypeError, ValueError):
        return AnswerError(
            "invalid_date",
            _("“%(question)s”: enter a date as YYYY-MM-DD.") % {"question": _label(question)},
        )


def _clean_boolean(question: Question, value: object) -> bool | AnswerError:
    if isinstance(value, bool):
        return value
    return AnswerError(
        "invalid_type",
        _("“%(question)s”: the answer must be yes or no (true or false).")
        % {"question": _label(question)},
    )


def _clean_answer(question: Question, value: object) -> object:
    if question.kind in TEXT_KINDS:
        return _clean_text(question, value)
    if question.kind == Question.Kind.CHOICE:
        return _clean_choice(question, value)
    if question.kind == Question.Kind.DATE:
        return _clean_date(question, value)
    return _clean_boolean(question, value)


def _required_error(question: Question) -> AnswerError:
    if question.kind == Question.Kind.BOOLEAN:
        message = _("“%(question)s”: tick this box to continue.")
    else:
        message = _("“%(question)s”: this question needs an answer.")
    return AnswerError("required", message % {"question": _label(question)})


def _unknown_error(code: object) -> tuple[str, AnswerError]:
    shown = str(code)
    if len(shown) > MAX_ECHOED_CODE:
        shown = shown[:MAX_ECHOED_CODE] + "…"
    return shown, AnswerError(
        "unknown_question",
        _("There is no question “%(code)s” in this registration category.") % {"code": shown},
    )


def validate_answers(
    *,
    congress: Congress,
    category: RegistrationCategory,
    answers: object,
    questions: list[Question] | None = None,
) -> dict:
    """Check `answers` (question code -> answer) against the questions asked in `category`.

    Returns the answers cleaned: text stripped, blank answers left out, choices as their
    value, dates as YYYY-MM-DD, yes/no as booleans. Only plain values are accepted (no lists
    or objects), text is bounded by MAX_ANSWER_LENGTH and may not hold a null character.
    `questions` (the congress's questions with their categories prefetched) saves the query
    when the caller has them. Raises InvalidAnswers naming every question in error, in the
    order of the questions, then every unknown code.
    """
    if not isinstance(answers, dict):
        raise InvalidAnswers(
            errors={},
            message=_("The answers must be an object mapping question codes to answers."),
        )
    if questions is None:
        questions = queries.questions_for(congress=congress)
    questions = queries.questions_for_category(questions=questions, category=category)
    by_code = {question.code: question for question in questions}
    cleaned: dict = {}
    errors: dict[str, list[AnswerError]] = {}
    for question in questions:
        value = answers.get(question.code)
        if not _is_blank(value):
            value = _clean_answer(question, value)
        if isinstance(value, AnswerError):
            errors[question.code] = [value]
        elif _is_blank(value) or (question.kind == Question.Kind.BOOLEAN and value is False):
            if question.is_required:
                errors[question.code] = [_required_error(question)]
            elif value is False:
                cleaned[question.code] = False
        else:
            cleaned[question.code] = value
    for code in answers:
        if code not in by_code:
            shown, error = _unknown_error(code)
            errors[shown] = [error]
    if errors:
        raise InvalidAnswers(errors=errors)
    return cleaned
