import io
import unicodedata

import pypdf
import pypdfium2
import pytest
import zxingcpp


@pytest.fixture
def pdf_qr_codes():
    """`pdf_qr_codes(data)` -> the texts of every QR code on every page, page by page."""

    def decode(data: bytes) -> list[list[str]]:
        document = pypdfium2.PdfDocument(data)
        pages = []
        for page in document:
            image = page.render(scale=3).to_pil()
            codes = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
            pages.append(sorted(code.text for code in codes))
            page.close()
        document.close()
        return pages

    return decode


@pytest.fixture
def pdf_text():
    """`pdf_text(data)` -> the text layer, NFKC-normalised (Arabic presentation forms fold
    back to ordinary letters)."""

    def extract(data: bytes) -> str:
        reader = pypdf.PdfReader(io.BytesIO(data))
        text = "\n".join(page.extract_text() for page in reader.pages)
        return unicodedata.normalize("NFKC", text)

    return extract
