import io

import pytest

from badges.models import BadgeTemplate
from badges.rendering import BADGE_QR_ERROR, BADGE_QR_MASK, BADGE_QR_VERSION
from badges.services import render_congress_badges, render_registration_badge
from badges.services.credentials import new_token
from common.pdf import fit_text, qr_matrix
from tests.factories.badges import BadgeTemplateFactory, CredentialFactory
from tests.factories.members import OrganisationFactory, PersonFactory
from tests.factories.registrations import RegistrationFactory

pytestmark = pytest.mark.django_db

NAMES = [
    ("Zoë Łukasiewicz-Nguyễn", "Zoe Lukasiewicz-Nguyen"),
    ("محمد رضایی", "Mohammad Rezaei"),
    ("عبد الرحمن بن محمد", "Abd al-Rahman bin Muhammad"),
    ("Мария Иванова", "Maria Ivanova"),
    ("王小明", "Wang Xiaoming"),
    ("山田 太郎", "Yamada Taro"),
    ("김민준", "Kim Minjun"),
]


def _credentials(congress):
    credentials = []
    for name, latin_name in NAMES:
        registration = RegistrationFactory(
            congress=congress, person=PersonFactory(name=name, latin_name=latin_name)
        )
        credentials.append(CredentialFactory(registration=registration))
    return credentials


@pytest.mark.parametrize(
    "size", [BadgeTemplate.Size.A6, BadgeTemplate.Size.A4_4, BadgeTemplate.Size.A4_8]
)
def test_render_congress_badges_every_qr_decodes_to_its_token(congress, pdf_qr_codes, size):
    credentials = _credentials(congress)
    out = io.BytesIO()

    count = render_congress_badges(congress=congress, out=out, size=size)

    decoded = sorted(text for page in pdf_qr_codes(out.getvalue()) for text in page)
    assert count == len(NAMES)
    assert decoded == sorted(credential.token for credential in credentials)


def test_render_congress_badges_qr_codes_are_version_2_level_m_mask_2(congress, pdf_qr_symbols):
    _credentials(congress)
    out = io.BytesIO()

    render_congress_badges(congress=congress, out=out, size=BadgeTemplate.Size.A4_8)

    symbols = {
        (code.extra["Version"], code.ec_level, code.extra["DataMask"])
        for page in pdf_qr_symbols(out.getvalue())
        for code in page
    }
    assert symbols == {("2", "M", 2)}


def test_new_tokens_fit_the_badge_qr_version():
    tokens = [new_token() for _ in range(200)]

    matrices = [
        qr_matrix(token, version=BADGE_QR_VERSION, error=BADGE_QR_ERROR, mask=BADGE_QR_MASK)
        for token in tokens
    ]

    assert {len(token) for token in tokens} == {22}
    assert {len(matrix) for matrix in matrices} == {25}


def test_render_congress_badges_arabic_and_cjk_names_in_text_layer(congress, pdf_text):
    _credentials(congress)
    out = io.BytesIO()

    render_congress_badges(congress=congress, out=out)

    text = pdf_text(out.getvalue())
    for name in [
        "محمد رضایی",
        "عبد الرحمن بن محمد",
        "王小明",
        "山田 太郎",
        "김민준",
        "Мария Иванова",
    ]:
        assert name in text


def test_render_congress_badges_sorted_by_surname_puts_pages_in_order(congress, pdf_text):
    for latin_name in ["Carla Zapata", "Ana Bello", "Omar Marzouki"]:
        registration = RegistrationFactory(
            congress=congress, person=PersonFactory(name=latin_name, latin_name=latin_name)
        )
        CredentialFactory(registration=registration)
    out = io.BytesIO()

    render_congress_badges(congress=congress, out=out, sort="surname")

    text = pdf_text(out.getvalue())
    assert text.index("Ana Bello") < text.index("Omar Marzouki") < text.index("Carla Zapata")


def test_render_registration_badge_protected_shows_display_name_without_organisation(
    congress, pdf_text
):
    registration = RegistrationFactory(
        congress=congress,
        person=PersonFactory(
            name="Real Legal Name",
            latin_name="Real Legal Name",
            organisation=OrganisationFactory(name="Secret Defenders Network"),
        ),
        is_protected=True,
        badge_display_name="Sami",
        hide_organisation_on_badge=True,
    )
    CredentialFactory(registration=registration)

    with render_registration_badge(registration=registration) as spooled:
        pdf = spooled.read()

    text = pdf_text(pdf)
    assert "Sami" in text
    assert "Real Legal Name" not in text
    assert "Secret Defenders Network" not in text


def test_render_badge_template_fields_leave_out_unselected_fields(congress, pdf_text):
    registration = RegistrationFactory(
        congress=congress,
        person=PersonFactory(
            name="Léa Martin", organisation=OrganisationFactory(name="Ligue des droits")
        ),
    )
    CredentialFactory(registration=registration)
    BadgeTemplateFactory(congress=congress, fields=["name", "category"])

    with render_registration_badge(registration=registration) as spooled:
        pdf = spooled.read()

    text = pdf_text(pdf)
    assert "Léa Martin" in text
    assert "Ligue des droits" not in text


@pytest.mark.parametrize(
    "name",
    [
        "Maria Aparecida dos Santos Oliveira de Albuquerque Cavalcanti Wanderley",
        "عبد الرحمن بن محمد بن عبد العزيز آل سعود الحسيني القرشي",
        "Hubert Blaine Wolfeschlegelsteinhausenbergerdorffvoralternwarengewissenhaft",
    ],
)
def test_fit_text_long_name_stays_inside_box(name):
    layout = fit_text(name, width=200, height=40, max_size=24, min_size=8)

    assert layout.width() <= 200.001
    assert layout.height <= 40.001
    assert " ".join(line.source for line in layout.lines) == name
