import io

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from registrations.models import Registration, VisaLetterRequest
from registrations.services.visa import request_visa_letter
from tests.factories.registrations import RegistrationFactory

pytestmark = pytest.mark.django_db

PASSPORT = {
    "full_name": "AMINA BEN SALEM",
    "nationality": "TN",
    "passport_number": "X1234567",
    "date_of_birth": "1984-05-12",
    "expires_on": "2031-09-30",
}


def _raw_passport_column(visa: VisaLetterRequest) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT passport_data_encrypted FROM registrations_visaletterrequest WHERE id = %s",
            [visa.pk],
        )
        return cursor.fetchone()[0]


def test_rotate_encryption_keys_re_encrypts_passport_data_with_the_newest_key(monkeypatch):
    old_key, new_key = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    monkeypatch.setenv("FIELD_ENCRYPTION_KEYS", old_key)
    registration = RegistrationFactory(status=Registration.Status.CONFIRMED)
    visa = request_visa_letter(registration=registration, passport=PASSPORT)
    monkeypatch.setenv("FIELD_ENCRYPTION_KEYS", f"{new_key},{old_key}")
    out = io.StringIO()

    call_command("rotate_encryption_keys", stdout=out)

    monkeypatch.setenv("FIELD_ENCRYPTION_KEYS", new_key)  # the old key is gone
    raw = _raw_passport_column(visa)
    assert VisaLetterRequest.objects.get(pk=visa.pk).passport_data == PASSPORT
    assert ("X1234567" in raw, "X1234567" in out.getvalue()) == (False, False)
    assert out.getvalue().splitlines() == [
        "registrations.VisaLetterRequest: 1 rows re-encrypted (passport_data)",
        "1 rows re-encrypted with the newest key",
    ]
