"""Privacy tests store passport data (visa-letter requests): give them an encryption key."""

import pytest
from cryptography.fernet import Fernet

TEST_ENCRYPTION_KEY = Fernet.generate_key().decode()


@pytest.fixture(autouse=True)
def _encryption_key(monkeypatch):
    monkeypatch.setenv("FIELD_ENCRYPTION_KEYS", TEST_ENCRYPTION_KEY)
