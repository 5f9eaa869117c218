"""Badge PDFs: each line's base direction comes from its language (docs/pdf.md "Direction"),
read back as a PDF reader copies the text (pdfium)."""

import io

import pytest
from django.utils import translation

from badges.models import BadgeTemplate
from badges.services import render_congress_badges
from tests.factories.badges import BadgeTemplateFactory, CredentialFactory
from tests.factories.members import OrganisationFactory, PersonFactory
from tests.factories.registrations import RegistrationFactory

pytestmark = pytest.mark.django_db


def _badge(congress, *, name, organisation, language):
    registration = RegistrationFactory(
        congress=congress,
        person=PersonFactory(
            name=name,
            latin_name="Amina Ben Salem",
            preferred_language=language,
            organisation=OrganisationFactory(name=organisation),
        ),
    )
    CredentialFactory(registration=registration)


def _render(congress) -> bytes:
    BadgeTemplateFactory(
        congress=congress, fields=["name", "latin_name", "organisation"], size="a6"
    )
    out = io.BytesIO()
    with translation.override("en"):
        render_congress_badges(congress=congress, out=out, size=BadgeTemplate.Size.A6)
    return out.getvalue()


def test_arabic_speakers_badge_reads_mixed_name_and_organisation_right_to_left(
    congress, pdf_reading_lines
):
    # Both start with a Latin word: the first-letter rule drew them left to right, read as
    # ")أمينة بن سالم (2 Dr" and ")تونس (فرع 2 ACAT".
    _badge(congress, name="Dr أمينة بن سالم (2)", organisation="ACAT تونس (فرع 2)", language="ar")

    lines = pdf_reading_lines(_render(congress))

    assert lines[-3:] == ["Dr أمينة بن سالم (2)", "Amina Ben Salem", "ACAT تونس (فرع 2)"]


def test_arabic_speakers_badge_keeps_a_latin_organisation_left_to_right(
    congress, pdf_reading_lines
):
    _badge(
        congress,
        name="أمينة بن سالم",
        organisation="FIAN Deutschland e.V.",
        language="ar",
    )

    lines = pdf_reading_lines(_render(congress))

    # Drawn right to left, its full stop would end up in front: ".FIAN Deutschland e.V".
    assert lines[-3:] == ["أمينة بن سالم", "Amina Ben Salem", "FIAN Deutschland e.V."]
