import datetime
import io
import unicodedata

import pytest
from django.db import connection
from pypdf import PdfReader

from registrations import services
from registrations.exceptions import EncryptionNotConfigured
from registrations.models import VisaLetterRequest
from registrations.services.documents import receipt_pdf, visa_letter_pdf
from registrations.services.visa import verification_token_for
from tests.factories.members import PersonFactory
from tests.factories.registrations import RegistrationFactory

pytestmark = pytest.mark.django_db

PASSPORT = {
    "full_name": "AMINA BEN SALEM",
    "nationality": "TN",
    "passport_number": "X1234567",
    "date_of_birth": "1985-04-02",
    "expires_on": "2030-01-01",
}


@pytest.fixture
def registration(congress):
    return RegistrationFactory(
        congress=congress, person=PersonFactory(name="أمينة بن سالم"), language="ar"
    )


def text_of(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_request_visa_letter_stores_passport_encrypted(registration):
    visa = services.request_visa_letter(registration=registration, passport=PASSPORT)

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT passport_data_encrypted FROM registrations_visaletterrequest WHERE id = %s",
            [visa.pk],
        )
        (stored,) = cursor.fetchone()
    assert (stored.startswith("gAAAAA"), "X1234567" in stored) == (True, False)
    assert VisaLetterRequest.objects.get(pk=visa.pk).passport_data == PASSPORT


def test_request_visa_letter_without_key_outside_debug_is_refused(
    registration, settings, monkeypatch
):
    monkeypatch.delenv("FIELD_ENCRYPTION_KEYS", raising=False)
    settings.FIELD_ENCRYPTION_ALLOW_DEVELOPMENT_KEY = False
    settings.DEBUG = False

    with pytest.raises(EncryptionNotConfigured):
        services.request_visa_letter(registration=registration, passport=PASSPORT)

    assert VisaLetterRequest.objects.count() == 0


def test_approved_letter_pdf_has_reference_arabic_name_and_verification(
    client, registration, organiser
):
    visa = services.request_visa_letter(registration=registration, passport=PASSPORT)
    visa, token = services.approve_visa_letter(visa=visa, actor=organiser)

    pdf = visa_letter_pdf(visa=visa, passport=PASSPORT, token=token)
    page = client.get(f"/en/visa-letters/verify/{token}/", follow=True)

    assert visa.reference in text_of(pdf)
    assert "أمينة بن سالم" not in text_of(pdf)  # the passport name is used, in Latin
    assert "AMINA BEN SALEM" in text_of(pdf)
    assert "X1234567" in text_of(pdf)
    assert token == verification_token_for(visa)
    body = page.content.decode()
    assert "أمينة بن سالم" in body
    assert visa.reference in body
    assert "X1234567" not in body


def test_verify_page_unknown_token_is_not_found(client):
    response = client.get("/en/visa-letters/verify/nonsense/", follow=True)

    assert response.status_code == 404
    assert "No valid letter matches this code." in response.content.decode()


def test_purge_passport_data_after_congress_plus_days(registration):
    registration.congress.passport_purge_days = 30
    registration.congress.save()
    visa = services.request_visa_letter(registration=registration, passport=PASSPORT)
    ends = registration.congress.ends_on

    kept = services.purge_passport_data(today=ends + datetime.timedelta(days=30))
    purged = services.purge_passport_data(today=ends + datetime.timedelta(days=31))

    visa.refresh_from_db()
    assert (kept, purged) == (0, 1)
    assert (visa.passport_data, visa.purged_at is not None) == ({}, True)


def test_receipt_pdf_draws_arabic_name_shaped(registration):
    pdf = receipt_pdf(registration=registration)

    text = unicodedata.normalize("NFKC", text_of(pdf))
    assert registration.payment_reference in text
    assert "أمينة بن سالم" in text
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1


def test_letter_qr_code_reads_back_to_the_public_check_url(registration, organiser, settings):
    import pypdfium2
    import zxingcpp

    visa = services.request_visa_letter(registration=registration, passport=PASSPORT)
    visa, token = services.approve_visa_letter(visa=visa, actor=organiser)
    pdf = visa_letter_pdf(visa=visa, passport=PASSPORT, token=token)

    image = pypdfium2.PdfDocument(pdf)[0].render(scale=3).to_pil()
    decoded = [result.text for result in zxingcpp.read_barcodes(image)]

    assert decoded == [f"{settings.SITE_URL}/ar/visa-letters/verify/{token}/"]


def test_visa_list_for_an_organiser_without_the_visa_role_decrypts_nothing(
    client, registration, organiser, monkeypatch
):
    services.request_visa_letter(registration=registration, passport=PASSPORT)
    client.force_login(organiser)

    def refuse(ciphertext):
        raise AssertionError("passport data decrypted for a user who may not see it")

    monkeypatch.setattr("common.crypto.decrypt_text", refuse)
    response = client.get(f"/en/congresses/{registration.congress.slug}/visa-letters/")

    assert response.status_code == 200
    assert [row["passport"] for row in response.context["rows"]] == [{}]
