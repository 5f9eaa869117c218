import io

import pytest
from pypdf import PdfReader

from attendance.certificates import render_certificate_pdf
from attendance.exceptions import CongressNotClosed
from attendance.models import Certificate
from attendance.services import close_congress, issue_certificates, set_certificate_threshold
from registrations.self_service import issue_access_token
from sessions.models import Session
from tests.factories.attendance import at, scan, session_door
from tests.factories.congress import TrackFactory
from tests.factories.registrations import RegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(congress):
    """Amina attended 3 h of training, Ben 1 h; threshold 2 h; congress closed."""
    track = TrackFactory(
        congress=congress, name="Drug policy", name_translations={"fr": "Politique des drogues"}
    )
    morning = session_door(congress, at(9), at(11), track=track, kind=Session.Kind.TRAINING)
    afternoon = session_door(congress, at(14), at(15), track=track, kind=Session.Kind.TRAINING)
    amina = RegistrationFactory(
        congress=congress,
        person__name="أمينة بن سالم",
        person__latin_name="Amina Ben Salem",
        person__preferred_language="fr",
    )
    ben = RegistrationFactory(congress=congress, person__name="Ben Okafor")
    scan(amina, morning, at(9))
    scan(amina, afternoon, at(14))
    scan(ben, afternoon, at(14))
    set_certificate_threshold(congress=congress, minutes=120)
    close_congress(congress=congress)
    return {"congress": congress, "amina": amina, "ben": ben, "afternoon": afternoon}


@pytest.fixture
def decode_qr(pdf_qr_codes):
    """`decode_qr(pdf)` -> the text of the one QR code of a one-page certificate."""

    def decode(pdf: bytes) -> str:
        [[text]] = pdf_qr_codes(pdf)
        return text

    return decode


def test_issue_certificates_before_closing_is_refused(congress):
    with pytest.raises(CongressNotClosed):
        issue_certificates(congress=congress)


def test_issue_certificates_goes_to_people_over_the_threshold(closed):
    count = issue_certificates(congress=closed["congress"])

    assert count == 1
    certificate = Certificate.objects.get()
    assert (certificate.registration, certificate.attended_minutes) == (closed["amina"], 180)


def test_issue_certificates_twice_keeps_one_certificate_and_its_code(closed):
    issue_certificates(congress=closed["congress"])
    first = Certificate.objects.values_list("pk", "nonce", "verification_hash").get()

    issue_certificates(congress=closed["congress"])

    assert Certificate.objects.values_list("pk", "nonce", "verification_hash").get() == first


def test_certificate_qr_verifies_on_the_public_page(client, closed, decode_qr):
    issue_certificates(congress=closed["congress"])
    certificate = Certificate.objects.get()
    pdf = render_certificate_pdf(certificate=certificate, base_url="http://testserver/")

    url = decode_qr(pdf)
    response = client.get(url)

    assert url.startswith("http://testserver/fr/certificates/verify/")
    code = url.rsplit("/", 2)[-2]
    assert code != str(certificate.pk)
    assert len(code) == 24  # 18 random-derived bytes, base64: never an id
    body = response.content.decode()
    assert (
        '<p class="certificate-status valid" id="certificate-status">'
        "Ce certificat de participation est valide.</p>"
    ) in body
    assert '<dd id="certificate-name">أمينة بن سالم</dd>' in body


def test_certificate_pdf_is_in_the_participants_language_with_tracks(closed):
    issue_certificates(congress=closed["congress"])

    pdf = render_certificate_pdf(certificate=Certificate.objects.get(), base_url="http://x/")

    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Politique des drogues" in text
    assert "3 heures" in text


def test_certificate_pdf_draws_the_arabic_name_shaped(closed):
    from arabic_reshaper import reshape

    issue_certificates(congress=closed["congress"])

    pdf = render_certificate_pdf(certificate=Certificate.objects.get(), base_url="http://x/")

    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    # Joined presentation forms (pypdf reads them back in logical order).
    assert reshape("أمينة بن سالم") in text


def test_unknown_verification_code_says_so(client):
    response = client.get("/en/certificates/verify/not-a-real-code/")

    assert response.status_code == 404
    assert "No certificate matches this code." in response.content.decode()


def test_correction_under_the_threshold_revokes_on_next_close(client, closed, decode_qr):
    issue_certificates(congress=closed["congress"])
    certificate = Certificate.objects.get()
    url = decode_qr(render_certificate_pdf(certificate=certificate, base_url="http://testserver/"))
    closed["afternoon"].checkins.filter(credential__registration=closed["amina"]).delete()
    set_certificate_threshold(congress=closed["congress"], minutes=150)

    close_congress(congress=closed["congress"])

    certificate.refresh_from_db()
    assert certificate.revoked_at is not None
    assert "withdrawn" in client.get(url.replace("/fr/", "/en/")).content.decode()


def test_self_service_download_returns_the_participants_certificate(client, closed, decode_qr):
    issue_certificates(congress=closed["congress"])
    token = issue_access_token(registration=closed["amina"])

    response = client.get(f"/en/certificates/mine/{token}/")

    assert response["Content-Type"] == "application/pdf"
    assert decode_qr(response.content).startswith("http://testserver/fr/certificates/verify/")


def test_self_service_without_certificate_explains(client, closed):
    issue_certificates(congress=closed["congress"])
    token = issue_access_token(registration=closed["ben"])

    response = client.get(f"/en/certificates/mine/{token}/")

    assert response.status_code == 200
    assert 'id="no-certificate"' in response.content.decode()


def test_certificate_page_sets_threshold_and_issues(client, organiser, closed):
    client.force_login(organiser)
    base = f"/en/congresses/{closed['congress'].slug}/certificates/"

    client.post(base, {"action": "rule", "rule": "hours", "days": "1", "hours": "0.5"})
    response = client.post(base, {"action": "issue"}, follow=True)

    assert '<strong id="certificates-valid">2</strong>' in response.content.decode()
