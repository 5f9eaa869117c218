"""Uploads: programs hidden in files, zip bombs and oversized requests are refused (issue 17)."""

import io
import struct
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory

from cfp.models import SubmissionFile
from cfp.services.files import InvalidUpload, read_checked_upload
from common.uploads import check_office_archive, find_executable

# The smallest shape of a Windows program: "MZ", the PE header's offset at 0x3C, "PE\0\0".
PROGRAM = b"MZ" + b"\0" * 58 + struct.pack("<I", 64) + b"PE\0\0" + b"\x4c\x01" + b"\0" * 200
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
REFUSED = "This file cannot be accepted: it contains a program or is damaged."


def _docx(**extra: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document>Report on detention</document>")
        for name, data in extra.items():
            archive.writestr(name.replace("__", "/"), data)
    return buffer.getvalue()


def _odt_bomb(megabytes: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        with archive.open("content.xml", "w", force_zip64=True) as entry:
            for _megabyte in range(megabytes):
                entry.write(b"\0" * (1024 * 1024))
    return buffer.getvalue()


def _check(name: str, data: bytes):
    return read_checked_upload(SimpleUploadedFile(name, data))


def test_pdf_followed_by_a_program_is_refused():
    with pytest.raises(InvalidUpload) as error:
        _check("report.pdf", PDF + PROGRAM)

    assert str(error.value) == REFUSED


def test_docx_carrying_an_exe_is_refused():
    with pytest.raises(InvalidUpload) as error:
        _check("report.docx", _docx(word__media__setup_exe=PROGRAM, **{"word__setup.exe": PROGRAM}))

    assert str(error.value) == REFUSED


def test_docx_with_a_program_under_an_innocent_name_is_refused():
    with pytest.raises(InvalidUpload) as error:
        _check("report.docx", _docx(word__media__image1_png=PROGRAM))

    assert str(error.value) == REFUSED


def test_200_mb_zip_bomb_named_odt_is_refused():
    bomb = _odt_bomb(200)

    with pytest.raises(InvalidUpload) as error:
        _check("minutes.odt", bomb)

    assert (str(error.value), len(bomb) < 1024 * 1024) == (REFUSED, True)


def test_clean_docx_and_pdf_are_accepted():
    assert [_check("a.docx", _docx())[1], _check("b.pdf", PDF)[1]] == [
        SubmissionFile.ContentType.DOCX,
        SubmissionFile.ContentType.PDF,
    ]


def test_find_executable_ignores_mz_inside_ordinary_text():
    assert find_executable(b"%PDF-1.4 MZ and more text " * 100) is False


def test_check_office_archive_not_a_zip_is_none():
    assert check_office_archive(b"PK\x03\x04 broken") is None


def test_upload_past_the_limit_stops_reading_the_request(settings):
    settings.MAX_UPLOAD_BYTES = 1024 * 1024
    big = SimpleUploadedFile("cv.pdf", PDF + b" " * (3 * 1024 * 1024))
    request = RequestFactory().post("/en/cfp/", {"cv": big, "title": "Report"})

    files = request.FILES

    assert (dict(files), request.upload_too_large) == ({}, True)
