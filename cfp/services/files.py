"""Checks an uploaded file on its content (magic bytes, common.uploads), never on its name
or its header: programs hidden in it and zip bombs are refused."""

import hashlib
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from cfp.models import Submission, SubmissionFile
from common.exceptions import DomainError
from common.uploads import UnsafeUpload, check_office_archive, find_executable, leading_type

DEFAULT_MAX_UPLOAD_BYTES = 5 * 1024 * 1024
_EXTENSIONS = {
    SubmissionFile.ContentType.PDF: "pdf",
    SubmissionFile.ContentType.DOCX: "docx",
    SubmissionFile.ContentType.ODT: "odt",
    SubmissionFile.ContentType.TEXT: "txt",
}


class InvalidUpload(DomainError):
    code = "invalid_upload"
    status_code = 400


def max_upload_bytes() -> int:
    return int(getattr(settings, "CFP_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES))


def _zip_kind(data: bytes) -> str | None:
    """DOCX or ODT, opened with limits (common.uploads: entries, size, no programs inside).

    Raises UnsafeUpload for a zip bomb, a damaged archive or a program inside."""
    archive = check_office_archive(data)
    if archive is None:
        return None
    with archive:
        names = set(archive.namelist())
        if "mimetype" in names:
            mimetype = archive.read("mimetype")[:100].strip()
            if mimetype == SubmissionFile.ContentType.ODT.value.encode():
                return SubmissionFile.ContentType.ODT
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            return SubmissionFile.ContentType.DOCX
    return None


def _is_plain_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def detect_content_type(data: bytes) -> str | None:
    """The allowed content type of `data`, or None. Looks at bytes only (common.uploads).

    Raises UnsafeUpload when a program hides anywhere in the file (a `%PDF-` + program
    polyglot) or inside a DOCX/ODT, or for a zip bomb."""
    if find_executable(data):
        raise UnsafeUpload()
    if leading_type(data) == "pdf" and data.startswith(b"%PDF-"):
        return SubmissionFile.ContentType.PDF
    if data.startswith(b"PK\x03\x04"):  # DOCX and ODT are ZIP archives
        return _zip_kind(data)
    if data and _is_plain_text(data):
        return SubmissionFile.ContentType.TEXT
    return None


def read_checked_upload(upload: UploadedFile) -> tuple[bytes, str]:
    """Read an upload and return (bytes, content type).

    Raises InvalidUpload when it is too large, empty, or not a PDF, DOCX, ODT or UTF-8 text
    file by its content (whatever its name says).
    """
    limit = max_upload_bytes()
    if upload.size is not None and upload.size > limit:
        raise InvalidUpload(_too_large_message(limit))
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise InvalidUpload(_too_large_message(limit))
    try:
        content_type = detect_content_type(data)
    except UnsafeUpload as error:
        raise InvalidUpload(str(error)) from error
    if content_type is None:
        raise InvalidUpload(
            _("This file is not a PDF, DOCX, ODT or plain text file. Please upload one of those.")
        )
    return data, content_type


def _too_large_message(limit: int) -> str:
    return _("This file is too large: the limit is %(megabytes)s MB.") % {
        "megabytes": round(limit / (1024 * 1024), 1)
    }


def store_upload(*, submission: Submission, upload: UploadedFile) -> SubmissionFile:
    """Check and store an upload under PRIVATE_MEDIA_ROOT with a random name."""
    data, content_type = read_checked_upload(upload)
    name = f"cfp/{submission.call_id}/{uuid.uuid4().hex}.{_EXTENSIONS[content_type]}"
    stored = SubmissionFile(
        submission=submission,
        original_name=(upload.name or "upload")[-255:],
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )
    stored.file.save(name, ContentFile(data), save=False)
    stored.save()
    return stored
