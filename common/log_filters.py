"""A logging filter that keeps personal data and secrets out of every log line.

Installed on every handler (config/settings/base.py, LOGGING). For each record it:
- drops the `request` attached by Django's request loggers (a handler such as Django's
  AdminEmailHandler would otherwise write out its body, cookies and headers);
- withholds the SQL and its parameters of `django.db.backends` records (the executed
  statement carries the row's values: names, e-mail addresses, answers);
- replaces the exception's message by its class name and keeps the traceback's frames: a
  database error's message quotes the values it refused ("Key (email)=(amal@...) already
  exists"), and so do many others;
- masks, in the message itself, e-mail addresses and anything shaped like a token (22 or
  more URL-safe characters with letters and digits, not a hexadecimal digest).

Our own code logs kinds and keyed hashes, never values (STYLE.md 9); this is the net under
third-party code and Django's own messages ("Not Found: /en/registration/<token>/").
"""

import logging
import re
import traceback

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
TOKEN_LIKE = re.compile(r"(?<![\w-])[A-Za-z0-9_-]{22,}(?![\w-])")
HEX = re.compile(r"[0-9a-f]+")


def _mask_token(match: re.Match) -> str:
    text = match.group(0)
    has_letter = any(character.isalpha() for character in text)
    has_digit = any(character.isdigit() for character in text)
    if has_letter and has_digit and not HEX.fullmatch(text):
        return "[token]"
    return text


def redact(text: str) -> str:
    """`text` with e-mail addresses and token-like strings masked."""
    return TOKEN_LIKE.sub(_mask_token, EMAIL.sub("[email]", text))


def _exception_without_message(exc_info) -> str:
    kind, _value, trace = exc_info
    frames = "".join(traceback.format_tb(trace)) if trace else ""
    name = f"{kind.__module__}.{kind.__qualname__}" if kind else "Exception"
    return redact(f"Traceback (most recent call last):\n{frames}{name}: (message withheld)")


class PersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if hasattr(record, "request"):
            record.request = None
        if record.name.startswith("django.db.backends"):
            duration = getattr(record, "duration", None)
            record.msg = "SQL statement (%s s), text and parameters withheld"
            record.args = (f"{duration:.3f}" if isinstance(duration, float) else "?",)
            record.sql = record.params = None
        else:
            try:
                message = record.getMessage()
            except (TypeError, ValueError):
                message = str(record.msg)
            record.msg, record.args = redact(message), ()
        if record.exc_info:
            record.exc_text = _exception_without_message(record.exc_info)
            record.exc_info = None
        return True
