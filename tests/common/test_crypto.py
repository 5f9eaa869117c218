import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, models

from common import crypto
from common.crypto import DecryptionError, EncryptedTextField, rotate_encrypted_values


class EncryptedNote(models.Model):
    """A stand-in for the passport model: one encrypted column in a table of its own."""

    secret = EncryptedTextField(blank=True, default="")

    class Meta:
        app_label = "congress_privacy"
        managed = False
        db_table = "test_crypto_encrypted_note"

    def __str__(self) -> str:
        return f"note {self.pk}"


@pytest.fixture
def note_table(db):
    primary_key = (
        "id integer primary key autoincrement"
        if connection.vendor == "sqlite"
        else "id serial primary key"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE test_crypto_encrypted_note ({primary_key}, secret text NOT NULL)"
        )
    return EncryptedNote


def _raw_secret(pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM test_crypto_encrypted_note WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_encrypted_field_raw_sql_read_shows_only_ciphertext(note_table):
    note = note_table.objects.create(secret="Passport P1234567, Sana'a")

    stored = _raw_secret(note.pk)

    assert "P1234567" not in stored
    assert "Sana" not in stored
    assert stored.startswith("gAAAAA")


def test_encrypted_field_round_trip_returns_plaintext(note_table):
    note = note_table.objects.create(secret="جواز سفر 987654")

    assert note_table.objects.get(pk=note.pk).secret == "جواز سفر 987654"


def test_encrypted_field_same_value_twice_gives_different_ciphertexts(note_table):
    first = note_table.objects.create(secret="P1234567")
    second = note_table.objects.create(secret="P1234567")

    assert _raw_secret(first.pk) != _raw_secret(second.pk)


def test_encrypted_field_empty_value_is_stored_empty_and_filterable(note_table):
    empty = note_table.objects.create(secret="")
    note_table.objects.create(secret="P1")

    assert _raw_secret(empty.pk) == ""
    assert list(note_table.objects.filter(secret="")) == [empty]


def test_encrypted_field_content_lookup_is_refused(note_table):
    with pytest.raises(NotImplementedError):
        list(note_table.objects.filter(secret="P1"))
    with pytest.raises(NotImplementedError):
        list(note_table.objects.filter(secret__icontains="P1"))


def test_encrypted_field_key_rotation_keeps_values_readable(note_table, monkeypatch):
    old_key = Fernet.generate_key().decode()
    new_key = Fernet.generate_key().decode()
    monkeypatch.setenv("FIELD_ENCRYPTION_KEYS", old_key)
    note = note_table.objects.create(secret="P1234567")
    monkeypatch.setenv("FIELD_ENCRYPTION_KEYS", f"{new_key},{old_key}")

    changed = rotate_encrypted_values(queryset=note_table.objects.all(), fields=["secret"])

    monkeypatch.setenv("FIELD_ENCRYPTION_KEYS", new_key)
    assert changed == 1
    assert note_table.objects.get(pk=note.pk).secret == "P1234567"
    assert Fernet(new_key.encode()).decrypt(_raw_secret(note.pk).encode()) == b"P1234567"


def test_encrypted_field_wrong_key_raises_without_echoing_data(note_table, monkeypatch):
    monkeypatch.setenv("FIELD_ENCRYPTION_KEYS", Fernet.generate_key().decode())
    note = note_table.objects.create(secret="P1234567")
    monkeypatch.setenv("FIELD_ENCRYPTION_KEYS", Fernet.generate_key().decode())

    with pytest.raises(DecryptionError) as error:
        note_table.objects.get(pk=note.pk)

    assert "P1234567" not in str(error.value)


def test_configured_keys_without_key_in_production_refuses(settings, monkeypatch):
    monkeypatch.delenv("FIELD_ENCRYPTION_KEYS", raising=False)
    settings.DEBUG = False
    settings.FIELD_ENCRYPTION_ALLOW_DEVELOPMENT_KEY = False

    with pytest.raises(ImproperlyConfigured) as error:
        crypto.configured_keys()

    assert (str(error.value), error.value.context["detail"]) == (
        "Passport data cannot be stored: encryption is not configured.",
        "FIELD_ENCRYPTION_KEYS must hold at least one Fernet key when DEBUG is off.",
    )


def test_configured_keys_in_tests_fall_back_to_development_key(monkeypatch):
    monkeypatch.delenv("FIELD_ENCRYPTION_KEYS", raising=False)

    assert crypto.configured_keys() == [crypto.DEVELOPMENT_KEY]


def test_configured_keys_invalid_key_is_reported_without_key_material(monkeypatch):
    monkeypatch.setenv("FIELD_ENCRYPTION_KEYS", "not-a-fernet-key-secret-material")

    with pytest.raises(ImproperlyConfigured) as error:
        crypto.fernet()

    assert error.value.context["detail"] == "FIELD_ENCRYPTION_KEYS holds an invalid Fernet key."
