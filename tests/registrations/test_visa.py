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

    # The check page opens in the letter's language (the consulate's), not the participant's.
    assert decoded == [f"{settings.SITE_URL}/en/visa-letters/verify/{token}/"]


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


def test_letter_is_in_the_consulate_s_language_with_every_detail_a_consulate_needs(
    registration, organiser, pdf_text
):
    congress = registration.congress
    congress.city = "Genève"
    congress.country = "CH"
    congress.starts_on = datetime.date(2027, 6, 14)
    congress.ends_on = datetime.date(2027, 6, 17)
    congress.save()
    visa = services.request_visa_letter(
        registration=registration, passport={**PASSPORT, "nationality": "MA"}
    )
    decided = datetime.datetime(2027, 3, 1, 10, 0, tzinfo=datetime.UTC)
    visa, token = services.approve_visa_letter(
        visa=visa,
        actor=organiser,
        language="fr",
        costs_covered=["registration", "accommodation"],
        now=decided,
    )

    text = pdf_text(visa_letter_pdf(visa=visa, passport=visa.passport_data, token=token))

    for line in [
        "Lettre d'invitation pour visa",
        "Émise le : 1 mars 2027",
        "du 14 juin 2027 au 17 juin 2027.",
        "Nom complet : AMINA BEN SALEM",
        "Nationalité : Maroc",
        "Date de naissance : 2 avril 1985",
        "Numéro de passeport : X1234567",
        "Passeport valable jusqu'au : 1 janvier 2030",
        "Les organisateurs prennent en charge : frais d'inscription, hébergement.",
        "Le participant prend en charge : voyage, repas.",
    ]:
        assert line in text
    assert "MA" not in text.split()


def test_letter_language_and_costs_default_to_the_congress_settings(
    registration, organiser, pdf_text
):
    from registrations.queries import settings_for

    registration_settings = settings_for(congress=registration.congress)
    registration_settings.visa_letter_language = "en"
    registration_settings.visa_costs_covered = ["travel"]
    registration_settings.save()
    visa = services.request_visa_letter(registration=registration, passport=PASSPORT)
    visa, token = services.approve_visa_letter(visa=visa, actor=organiser)

    text = pdf_text(visa_letter_pdf(visa=visa, passport=visa.passport_data, token=token))

    assert "Nationality: Tunisia" in text
    assert "The organisers cover: travel." in text
    assert "The participant covers: registration fee, accommodation, meals." in text


def test_organiser_letter_link_is_shown_only_where_it_opens(client, registration, organiser):
    from congress.models import CongressRole

    visa = services.request_visa_letter(registration=registration, passport=PASSPORT)
    services.approve_visa_letter(visa=visa, actor=organiser)
    client.force_login(organiser)
    slug = registration.congress.slug
    letter_url = f"/en/congresses/{slug}/visa-letters/{visa.pk}/letter.pdf"

    without_role = client.get(f"/en/congresses/{slug}/visa-letters/").content.decode()
    CongressRole.objects.create(
        congress=registration.congress, user=organiser, role=CongressRole.Role.VISA_OFFICER
    )
    with_role = client.get(f"/en/congresses/{slug}/visa-letters/").content.decode()
    letter = client.get(letter_url)

    assert letter_url not in without_role
    assert "Letter: visa officers only" in without_role
    assert f'href="{letter_url}"' in with_role
    assert letter.status_code == 200
    assert letter["Content-Type"] == "application/pdf"


def test_organiser_makes_a_team_member_visa_officer_without_the_admin(
    client, registration, organiser
):
    from congress.models import CongressRole
    from tests.factories.members import UserFactory

    colleague = UserFactory(email="visa@example.org")
    client.force_login(organiser)

    response = client.post(
        f"/en/congresses/{registration.congress.slug}/visa-letters/officers/",
        {"email": "VISA@example.org"},
        follow=True,
    )

    assert [str(message) for message in response.context["messages"]] == [
        "This user is now a visa officer of this congress."
    ]
    assert list(CongressRole.objects.filter(user=colleague).values_list("congress", "role")) == [
        (registration.congress.pk, CongressRole.Role.VISA_OFFICER)
    ]


def test_only_organisers_grant_the_visa_officer_role(client, registration, reviewer):
    from tests.factories.members import UserFactory

    UserFactory(email="visa@example.org")
    client.force_login(reviewer)

    response = client.post(
        f"/en/congresses/{registration.congress.slug}/visa-letters/officers/",
        {"email": "visa@example.org"},
    )

    assert response.status_code == 404


def test_organiser_approves_from_the_visa_page_with_the_letter_s_language_and_costs(
    client, registration, organiser
):
    visa = services.request_visa_letter(registration=registration, passport=PASSPORT)
    client.force_login(organiser)

    client.post(
        f"/en/congresses/{registration.congress.slug}/visa-letters/{visa.pk}/approve/",
        {"language": "fr", "costs_covered": ["travel", "meals"]},
    )

    visa.refresh_from_db()
    assert (visa.status, visa.letter_language, visa.costs_covered) == (
        VisaLetterRequest.Status.APPROVED,
        "fr",
        ["travel", "meals"],
    )


def _png(size=(120, 40)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, "navy").save(buffer, format="PNG")
    return buffer.getvalue()


def _images_on_first_page(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages[0].images)


def test_letter_pdf_prints_signatory_title_and_draws_signature_image(registration, organiser):
    from django.core.files.base import ContentFile

    from registrations.models import RegistrationSettings

    settings_row, _ = RegistrationSettings.objects.get_or_create(congress=registration.congress)
    settings_row.letter_signatory = "Raphaël Chenuil-Hazan"
    settings_row.letter_signatory_title = "Executive Director"
    settings_row.visa_letter_language = "en"
    settings_row.signature_image.save("sig.png", ContentFile(_png()), save=True)
    visa = services.request_visa_letter(registration=registration, passport=PASSPORT)
    visa, token = services.approve_visa_letter(visa=visa, actor=organiser)

    pdf = visa_letter_pdf(visa=visa, passport=PASSPORT, token=token)

    lines = text_of(pdf).splitlines()
    assert lines[-2:] == ["Raphaël Chenuil-Hazan", "Executive Director"]
    assert _images_on_first_page(pdf) == 1


def test_letter_pdf_without_signature_image_draws_no_image(registration, organiser):
    visa = services.request_visa_letter(registration=registration, passport=PASSPORT)
    visa, token = services.approve_visa_letter(visa=visa, actor=organiser)

    pdf = visa_letter_pdf(visa=visa, passport=PASSPORT, token=token)

    assert _images_on_first_page(pdf) == 0
