"""Certificates and the printable report draw names in their own script (common.pdf)."""

import unicodedata

import pytest

from attendance.certificates import render_certificate_pdf, verification_path
from attendance.models import Certificate
from attendance.services import close_congress, issue_certificates, set_certificate_threshold
from badges.models import Checkpoint
from tests.factories.attendance import at, scan, session_door
from tests.factories.badges import CheckpointFactory
from tests.factories.members import OrganisationFactory
from tests.factories.registrations import RegistrationCategoryFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def certificate_for(congress, name: str, language: str, latin_name: str = "") -> Certificate:
    door = session_door(congress, at(9), at(11))
    registration = RegistrationFactory(
        congress=congress,
        person__name=name,
        person__latin_name=latin_name,
        person__preferred_language=language,
    )
    scan(registration, door, at(9))
    set_certificate_threshold(congress=congress, minutes=60)
    close_congress(congress=congress)
    issue_certificates(congress=congress)
    return Certificate.objects.select_related("registration__person", "congress").get()


@pytest.mark.parametrize(
    ("name", "latin_name", "language"),
    [
        ("山田花子", "Yamada Hanako", "en"),
        ("김민준", "Kim Minjun", "en"),
        ("王秀英", "Wang Xiuying", "fr"),
        ("أمينة بن سالم", "Amina Ben Salem", "ar"),
        ("محمد رضایی", "Mohammad Rezaei", "ar"),
        ("Nguyễn Thị Minh Khai", "", "en"),
    ],
)
def test_certificate_prints_the_name_in_its_own_script(
    congress, pdf_text, name, latin_name, language
):
    certificate = certificate_for(congress, name, language, latin_name)

    text = pdf_text(render_certificate_pdf(certificate=certificate, base_url="http://x/"))

    assert unicodedata.normalize("NFKC", name) in text
    assert latin_name == "" or latin_name not in text


@pytest.mark.parametrize(
    ("name", "preferred_language", "url_language"),
    [("山田花子", "en", "en"), ("محمد رضایی", "ar", "ar"), ("김민준", "es", "en")],
)
def test_certificate_qr_decodes_to_the_verification_url(
    client, congress, pdf_qr_codes, name, preferred_language, url_language
):
    certificate = certificate_for(congress, name, preferred_language)

    pdf = render_certificate_pdf(certificate=certificate, base_url="http://testserver/")

    url = "http://testserver" + verification_path(certificate, url_language)
    assert url.startswith(f"http://testserver/{url_language}/certificates/verify/")
    assert pdf_qr_codes(pdf) == [[url]]
    assert f'<dd id="certificate-name">{name}</dd>' in client.get(url).content.decode()


def test_certificate_prints_the_url_under_the_code(congress, pdf_text):
    certificate = certificate_for(congress, "김민준", "en")

    text = pdf_text(render_certificate_pdf(certificate=certificate, base_url="http://x.org/"))

    assert "http://x.org" + verification_path(certificate, "en") in text


def test_printable_report_draws_cjk_and_arabic_labels(client, organiser, congress, pdf_text):
    entrance = CheckpointFactory(congress=congress, kind=Checkpoint.Kind.ENTRANCE)
    for category, organisation in (("講演者", "日本人権協会"), ("مشارك", "한국인권재단")):
        registration = RegistrationFactory(
            congress=congress,
            category=RegistrationCategoryFactory(congress=congress, name=category),
            person__organisation=OrganisationFactory(name=organisation),
        )
        scan(registration, entrance, at(8))
    client.force_login(organiser)

    response = client.get(f"/en/congresses/{congress.slug}/attendance/report.pdf")

    text = pdf_text(response.content)
    for label in ("講演者", "日本人権協会", "مشارك", "한국인권재단"):
        assert label in text
