"""Encryption at rest for the most sensitive fields (passport numbers, visa data).

`EncryptedTextField` (and `EncryptedJSONField`, for a JSON object such as passport data) stores
Fernet ciphertext (AES-128-CBC + HMAC-SHA256, with a timestamp)
in a text column; Python code only ever sees the plaintext. A database dump, a backup or a
read-only SQL console therefore shows nothing but `gAAAAA...` tokens.

Keys come from the environment variable FIELD_ENCRYPTION_KEYS: a comma-separated list of
url-safe base64 Fernet keys (generate one with `python manage.py shell -c "from
cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"`). The FIRST key
encrypts; every key decrypts (MultiFernet), so keys are rotated by putting a new key first,
running `python manage.py rotate_encryption_keys` (every encrypted field of every model), then
removing the old key.

A fixed development key is used only when DEBUG is on or under the test settings; in
production the process refuses to read or write an encrypted field without a configured key.

Limits: an encrypted column cannot be filtered, ordered or indexed on its content
(lookups other than `isnull` raise), and every write produces a different ciphertext.
"""

import functools
import json
import os

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import Model, QuerySet
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _

from common.exceptions import DomainError

# Only ever used with DEBUG on or under tests (settings.FIELD_ENCRYPTION_ALLOW_DEVELOPMENT_KEY).
DEVELOPMENT_KEY = "ZGV2LW9ubHkta2V5LW5ldmVyLWluLXByb2R1Y3Rpb24="
ENV_VARIABLE = "FIELD_ENCRYPTION_KEYS"


class DecryptionError(Exception):
    """Stored ciphertext could not be decrypted with any configured key."""


class EncryptionNotConfigured(DomainError, ImproperlyConfigured):
    """No usable key: the action is refused (503) and nothing is stored in clear."""

    code = "encryption_not_configured"
    status_code = 503
    default_message = _("Passport data cannot be stored: encryption is not configured.")


def configured_keys() -> list[str]:
    """The keys from the environment, first one encrypting; the dev key only when allowed."""
    keys = [key.strip() for key in os.environ.get(ENV_VARIABLE, "").split(",") if key.strip()]
    if keys:
        return keys
    if settings.DEBUG or getattr(settings, "FIELD_ENCRYPTION_ALLOW_DEVELOPMENT_KEY", False):
        return [DEVELOPMENT_KEY]
    # Users see the translated default message; `detail` tells the operator what to fix.
    raise EncryptionNotConfigured(
        detail=f"{ENV_VARIABLE} must hold at least one Fernet key when DEBUG is off."
    )


@functools.cache
def _fernet_for(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError as error:
        # Never echo the key material itself.
        raise EncryptionNotConfigured(detail=f"{ENV_VARIABLE} holds an invalid Fernet key.") from (
            error
        )


def fernet() -> MultiFernet:
    return _fernet_for(tuple(configured_keys()))


def encrypt_text(plaintext: str) -> str:
    return fernet().encrypt(plaintext.encode("utf-8")).decode("ascii")


def decrypt_text(ciphertext: str) -> str:
    try:
        return fernet().decrypt(ciphertext.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeEncodeError) as error:
        # The message names no value: neither the ciphertext nor the key end up in logs.
        raise DecryptionError("Stored value cannot be decrypted with the configured keys.") from (
            error
        )


class EncryptedTextField(models.TextField):
    """A text field whose value is encrypted in the database.

    The empty string is stored as the empty string (so "no passport number" needs no
    ciphertext and `blank=True, default=""` keeps working); any other value is stored as
    Fernet ciphertext. Filtering on content is refused because it cannot work.
    """

    description = "Text encrypted at rest (Fernet)"

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt_text(str(value))

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt_text(value)

    def get_lookup(self, lookup_name):
        if lookup_name == "exact":
            return EmptyOnlyExact
        if lookup_name != "isnull":
            raise NotImplementedError(
                f"An encrypted field cannot be searched with '{lookup_name}'."
            )
        return super().get_lookup(lookup_name)


class EncryptedJSONField(EncryptedTextField):
    """A JSON object encrypted at rest, in a text column (passport data).

    The empty object is stored as the empty string; anything else as the Fernet ciphertext of
    its JSON text (UTF-8), so Python code reads and writes plain dicts.
    """

    description = "JSON object encrypted at rest (Fernet)"

    def get_prep_value(self, value):
        if value in (None, "", {}):
            return "" if value is not None else None
        if isinstance(value, str):  # already JSON text (a form or a fixture)
            return encrypt_text(value)
        return encrypt_text(json.dumps(value, ensure_ascii=False, sort_keys=True))

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return {} if value == "" else None
        return json.loads(decrypt_text(value))

    def to_python(self, value):
        if isinstance(value, str):
            return json.loads(value) if value else {}
        return value

    def value_to_string(self, obj) -> str:
        return json.dumps(self.value_from_object(obj), ensure_ascii=False, sort_keys=True)


def encrypted_fields() -> list[tuple[type[Model], list[str]]]:
    """Every model with encrypted fields, and the names of those fields (for key rotation)."""
    from django.apps import apps

    found = []
    for model in apps.get_models():
        names = [
            field.name
            for field in model._meta.concrete_fields
            if isinstance(field, EncryptedTextField)
        ]
        if names:
            found.append((model, names))
    return found


class EmptyOnlyExact(Exact):
    """`field=""` works (empty is stored as empty); any other value could never match."""

    def get_prep_lookup(self):
        if self.rhs not in ("", None):
            raise NotImplementedError("An encrypted field can only be compared with ''.")
        return super().get_prep_lookup()


def rotate_encrypted_values(*, queryset: QuerySet, fields: list[str]) -> int:
    """Re-encrypt `fields` of every row with the current first key; returns rows changed.

    Rows are read and written one by one (iterator), so memory stays flat.
    """
    changed = 0
    for obj in queryset.only("pk", *fields).iterator():
        _save_fields(obj, fields)
        changed += 1
    return changed


def _save_fields(obj: Model, fields: list[str]) -> None:
    # Values are already decrypted in memory; saving re-encrypts with the first key.
    obj.save(update_fields=fields)
