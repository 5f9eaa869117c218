"""Encryption at rest for passport data: Fernet / MultiFernet with keys from the environment.

FIELD_ENCRYPTION_KEY holds one or more comma-separated Fernet keys (newest first, so keys
can be rotated). Only with DEBUG on is a fixed development key used when none is set.
"""

import base64
import hashlib
import json
import os

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

from registrations.exceptions import EncryptionNotConfigured

_DEVELOPMENT_KEY = base64.urlsafe_b64encode(
    hashlib.sha256(b"development-only passport key").digest()
).decode()


def _keys() -> list[str]:
    raw = getattr(settings, "FIELD_ENCRYPTION_KEY", "") or os.environ.get(
        "FIELD_ENCRYPTION_KEY", ""
    )
    keys = [key.strip() for key in raw.split(",") if key.strip()]
    if not keys and settings.DEBUG:
        keys = [_DEVELOPMENT_KEY]
    if not keys:
        raise EncryptionNotConfigured()
    return keys


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
