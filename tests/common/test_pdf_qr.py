import io

import pytest
from qrcode.exceptions import DataOverflowError
from reportlab.pdfgen.canvas import Canvas

from common.pdf import draw_qr, qr_matrix, qr_svg

TOKEN = "0Jb-d1xK_7pQwErTyUiOpA"  # the shape of a badge token: 22 URL-safe characters
URL = "https://congress.example.org/fr/certificates/verify/9Yq2nB7xL0pRtW4zKc8vHs1mJd6fGa3e/"


def _pdf_with_qr(data: str, **options) -> bytes:
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(200, 200))
    draw_qr(canvas, data, x=20, y=20, size=160, **options)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


@pytest.mark.parametrize(
    ("version", "error", "mask"), [(2, "m", 2), (2, "l", 0), (3, "q", 5), (4, "h", 7)]
)
def test_draw_qr_fixed_version_and_mask_decodes_with_them(pdf_qr_symbols, version, error, mask):
    pdf = _pdf_with_qr(TOKEN, version=version, error=error, mask=mask)

    [[code]] = pdf_qr_symbols(pdf)
    assert (code.text, code.extra["Version"], code.ec_level, code.extra["DataMask"]) == (
        TOKEN,
        str(version),
        error.upper(),
        mask,
    )


def test_draw_qr_without_version_decodes_a_long_url(pdf_qr_symbols):
    pdf = _pdf_with_qr(URL)

    assert [[code.text for code in page] for page in pdf_qr_symbols(pdf)] == [[URL]]


def test_qr_matrix_fixed_version_has_its_size():
    matrix = qr_matrix("x" * 26, version=2, error="m", mask=2)

    assert [len(matrix), *sorted({len(row) for row in matrix})] == [25, 25]


def test_qr_matrix_data_too_long_for_fixed_version_raises():
    with pytest.raises(DataOverflowError):
        qr_matrix("x" * 27, version=2, error="m", mask=2)


def test_qr_svg_decodes_to_its_data(svg_qr_codes):
    markup = qr_svg(URL, title="QR", css_class="code")

    assert svg_qr_codes(markup) == [URL]


def test_qr_svg_escapes_its_title_and_has_no_style_attribute():
    markup = qr_svg(TOKEN, title='Scan <me> & "go"', css_class="totp-qr")

    assert markup.startswith(
        '<svg xmlns="http://www.w3.org/2000/svg" width="132" height="132" viewBox="0 0 33 33"'
        ' class="totp-qr" role="img"><title>Scan &lt;me&gt; &amp; &quot;go&quot;</title><path d="'
    )
    assert "style" not in markup
