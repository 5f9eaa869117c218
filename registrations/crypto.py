"""Encryption at rest for passport data: Fernet / MultiFernet.

Keys are the project's field-encryption keys (congress.crypto: the FIELD_ENCRYPTION_KEYS
environment variable, comma-separated, newest first so keys can be rotated; a development
key only with DEBUG on or under the test settings). A `FIELD_ENCRYPTION_KEY` setting, when
set, takes precedence (used by tests to pin a key).
"""

import json

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from congress.crypto import configured_keys
from registrations.exceptions import EncryptionNotConfigured


def _keys() -> list[str]:
    raw = getattr(settings, "FIELD_ENCRYPTION_KEY", "")
    keys = [key.strip() for key in raw.split(",") if key.strip()]
    if keys:
        return keys
    try:
        return configured_keys()
    except ImproperlyConfigured as error:
        raise EncryptionNotConfigured() from error


def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in _keys()])


def encrypt_json(data: dict) -> str:
    return _fernet().encrypt(json.dumps(data, ensure_ascii=False).encode()).decode()


def decrypt_json(token: str) -> dict:
    if not token:
        return {}
    try:
        return json.loads(_fernet().decrypt(token.encode()))
    except InvalidToken as error:
        raise EncryptionNotConfigured() from error
