import io
import secrets
import tracemalloc

import pypdf
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from badges.models import BadgeTemplate
from badges.rendering import BadgeData, BadgeStyle, render_badges
from badges.services import render_congress_badges
from common.pdf import CompactCanvas
from tests.factories.badges import CredentialFactory
from tests.factories.members import PersonFactory
from tests.factories.registrations import RegistrationFactory


def _badges(count: int) -> list[BadgeData]:
    names = ["Zoë Łukasiewicz", "محمد رضایی", "Мария Иванова", "王小明", "山田 太郎", "김민준"]
    return [
        BadgeData(
            registration_id=index,
            token=secrets.token_urlsafe(16),
            name=f"{names[index % len(names)]} {index}",
            latin_name=f"Latin Name {index}",
            organisation="Coalition mondiale contre la peine de mort",
            country="TN",
            category_id=1,
            category="Delegate",
            role="Delegate",
            language="fr",
            colour="#1f6f8b",
        )
        for index in range(count)
    ]


def _render(badges: list[BadgeData], size: str = BadgeTemplate.Size.A6) -> bytes:
    out = io.BytesIO()
    style = BadgeStyle(congress_name="World Congress 2027", colour="#1f6f8b")
    render_badges(badges=badges, style_for=lambda _category: style, size=size, out=out)
    return out.getvalue()


def test_render_badges_sixteen_on_a4_sheets_every_qr_decodes(pdf_qr_codes):
    badges = _badges(16)

    pages = pdf_qr_codes(_render(badges, BadgeTemplate.Size.A4_8))

    assert pages == [
        sorted(badge.token for badge in badges[:8]),
        sorted(badge.token for badge in badges[8:]),
    ]


def test_render_badges_pages_are_flate_compressed_without_ascii85(pdf_text):
    badges = _badges(3)

    pdf = _render(badges)

    reader = pypdf.PdfReader(io.BytesIO(pdf))
    filters = {str(page["/Contents"].get_object()["/Filter"]) for page in reader.pages}
    assert filters == {"['/FlateDecode']"}
    text = pdf_text(pdf)
    assert [badge.latin_name in text for badge in badges] == [True, True, True]
    assert "Zoë Łukasiewicz 0" in text


def test_compact_canvas_keeps_only_compressed_page_streams():
    canvas = CompactCanvas(io.BytesIO())
    canvas.drawString(10, 10, "x" * 2000)
    canvas.showPage()

    page = canvas._doc.Pages.pages[0]
    assert page.stream is None
    assert len(page.Contents.content) < 200


def test_render_badges_memory_grows_by_less_than_8_kb_a_badge():
    small, large = _badges(20), _badges(120)
    _render(small)  # fonts and caches loaded outside the measurement
    peaks = []
    for badges in (small, large):
        tracemalloc.start()
        _render(badges)
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()

    per_badge = (peaks[1] - peaks[0]) / 100
    assert per_badge < 8_000
    assert peaks[1] < 20_000_000


@pytest.mark.django_db
def test_render_congress_badges_query_count_does_not_grow_with_badges(congress):
    def add_badges(count: int) -> None:
        for index in range(count):
            registration = RegistrationFactory(
                congress=congress, person=PersonFactory(name=f"Person {index}")
            )
            CredentialFactory(registration=registration)

    add_badges(2)
    with CaptureQueriesContext(connection) as few:
        render_congress_badges(congress=congress, out=io.BytesIO())
    add_badges(8)
    with CaptureQueriesContext(connection) as many:
        count = render_congress_badges(congress=congress, out=io.BytesIO())

    assert count == 10
    assert len(many.captured_queries) == len(few.captured_queries)


def test_render_badges_same_style_in_two_documents_draws_both(pdf_text):
    style = BadgeStyle(congress_name="World Congress 2027", colour="#1f6f8b")
    pdfs = []
    for badges in (_badges(2), _badges(3)):
        out = io.BytesIO()
        render_badges(badges=badges, style_for=lambda _category: style, size="a6", out=out)
        pdfs.append(out.getvalue())

    assert [pdf_text(pdf).count("World Congress 2027") for pdf in pdfs] == [2, 3]


def _drawn_area(data: bytes) -> tuple[float, float, float, float]:
    """(left, bottom, right, top) in points of everything drawn on the first page, read from
    the rendered page: the bounding box of its non-white pixels."""
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    page = document[0]
    scale = 2
    image = page.render(scale=scale).to_pil().convert("L").point(lambda value: value < 250 and 255)
    left, top, right, bottom = image.getbbox()
    height = page.get_height()
    document.close()
    return left / scale, height - bottom / scale, right / scale, height - top / scale


@pytest.mark.parametrize("margin_mm", [5, 10, 15])
def test_a4_sheet_keeps_the_printable_margin_blank(margin_mm):
    out = io.BytesIO()
    style = BadgeStyle(congress_name="World Congress 2027", colour="#1f6f8b")
    render_badges(
        badges=_badges(8),
        style_for=lambda _category: style,
        size=BadgeTemplate.Size.A4_8,
        out=out,
        sheet_margin_mm=margin_mm,
    )

    left, bottom, right, top = _drawn_area(out.getvalue())

    margin = margin_mm * 72 / 25.4
    # Crop marks reach 2 mm outside the badges' corners; everything else stays inside.
    limit = margin - 2 * 72 / 25.4 - 1
    assert min(left, bottom, 595.28 - right, 841.89 - top) >= limit


@pytest.mark.django_db
def test_a4_sheet_default_margin_is_the_templates(congress, organiser, client):
    from django.urls import reverse

    CredentialFactory(registration__congress=congress)
    BadgeTemplate.objects.create(
        congress=congress, name="Default", size=BadgeTemplate.Size.A4_8, sheet_margin_mm=12
    )
    client.force_login(organiser)
    url = reverse("badges:print", kwargs={"slug": congress.slug})

    page = client.get(url)
    pdf = b"".join(client.get(url, {"download": 1}).streaming_content)

    assert page.context["margin"] == 12
    left, bottom, _right, _top = _drawn_area(pdf)
    assert min(left, bottom) >= 12 * 72 / 25.4 - 2 * 72 / 25.4 - 1
