"""Uploaded files checked on their content, archives opened with limits, and an upload
limit enforced while the request is read.

- `leading_type(data)`: the type the first bytes say (the `filetype` library's signatures:
  PDF, ZIP, executables ...), never the name or the browser's header.
- `find_executable(data)`: an executable hidden anywhere in the bytes: a Windows program
  (an "MZ" header whose PE offset points at "PE\\0\\0") or an ELF header. This is what
  refuses a `%PDF-` + program polyglot, which starts like a PDF.
- `check_office_archive(data)`: a DOCX or ODT is a ZIP; it is opened with limits (at most
  MAX_ARCHIVE_ENTRIES entries, MAX_ARCHIVE_UNCOMPRESSED bytes once unpacked, no entry
  compressed more than MAX_COMPRESSION_RATIO times: a zip bomb) and refused when an entry
  is a program (by its name or its first bytes) or an embedded OLE package.
- `LimitedUploadHandler`: counts the bytes of uploaded files as they arrive and stops
  reading the request past settings.MAX_UPLOAD_BYTES (default 10 MB): a 50 MB upload is
  refused after 10 MB, not read to the end. The reverse proxy should refuse larger bodies
  before they reach the app (README, Production: `client_max_body_size 12m` in nginx).
"""

import io
import struct
import zipfile

import filetype
from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.utils.translation import gettext_lazy as _

from common.exceptions import DomainError

MAX_ARCHIVE_ENTRIES = 1000
MAX_ARCHIVE_UNCOMPRESSED = 50 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
EXECUTABLE_TYPES = {"exe", "elf"}
EXECUTABLE_SUFFIXES = (
    ".exe", ".dll", ".com", ".scr", ".msi", ".bat", ".cmd", ".ps1", ".vbs", ".js", ".jar",
    ".sh", ".app", ".elf", ".so", ".dylib", ".lnk", ".hta", ".cpl",
)  # fmt: skip
OLE_PACKAGE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class UnsafeUpload(DomainError):
    code = "unsafe_upload"
    default_message = _("This file cannot be accepted: it contains a program or is damaged.")


class UploadTooLarge(DomainError):
    code = "upload_too_large"
    status_code = 413
    default_message = _("This file is too large.")


def leading_type(data: bytes) -> str | None:
    """The extension the leading bytes stand for ("pdf", "zip", "exe" ...), or None."""
    kind = filetype.guess(data[:8192])
    return kind.extension if kind else None


def find_executable(data: bytes) -> bool:
    """True when a Windows (PE) or ELF program starts anywhere in `data`."""
    start = data.find(b"MZ")
    while start != -1:
        header = data[start + 0x3C : start + 0x40]
        if len(header) == 4:
            (offset,) = struct.unpack("<I", header)
            if 0 < offset < 4096 and data[start + offset : start + offset + 4] == b"PE\0\0":
                return True
        start = data.find(b"MZ", start + 1)
    start = data.find(b"\x7fELF")
    while start != -1:
        ident = data[start + 4 : start + 7]
        if len(ident) == 3 and ident[0] in (1, 2) and ident[1] in (1, 2) and ident[2] == 1:
            return True
        start = data.find(b"\x7fELF", start + 1)
    return False


def _entry_is_program(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """A program by its name or first bytes, or an OLE package (an embedded object that
    can wrap any program) among a document's embeddings."""
    name = info.filename.lower()
    if name.endswith(EXECUTABLE_SUFFIXES):
        return True
    if info.file_size == 0:
        return False
    with archive.open(info) as entry:
        head = entry.read(8)
    if head.startswith(OLE_PACKAGE) and "embeddings/" in name and name.endswith(".bin"):
        return True
    return head.startswith((b"MZ", b"\x7fELF"))


def check_office_archive(data: bytes) -> zipfile.ZipFile | None:
    """Open a DOCX/ODT-shaped ZIP safely; return it (the caller reads its small entries), or
    None when it cannot be opened as a ZIP at all.

    Raises UnsafeUpload for too many entries, a zip bomb, a damaged entry or a program.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, RuntimeError, OSError):
        return None  # not an archive at all: the caller says which types it takes
    if len(entries) > MAX_ARCHIVE_ENTRIES:
        raise UnsafeUpload()
    unpacked = sum(info.file_size for info in entries)
    if unpacked > MAX_ARCHIVE_UNCOMPRESSED:
        raise UnsafeUpload()
    for info in entries:
        if info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1) + 4096:
            raise UnsafeUpload()
        try:
            if _entry_is_program(archive, info):
                raise UnsafeUpload()
        except (zipfile.BadZipFile, ValueError, RuntimeError, OSError, EOFError) as error:
            raise UnsafeUpload() from error
    return archive


def max_upload_bytes() -> int:
    return int(getattr(settings, "MAX_UPLOAD_BYTES", 10 * 1024 * 1024))


class LimitedUploadHandler(FileUploadHandler):
    """First of FILE_UPLOAD_HANDLERS: passes the data on, and stops reading the request
    once the files in it pass MAX_UPLOAD_BYTES (the rest of the body is never read; the
    view sees the upload missing and `request.upload_too_large` True)."""

    def __init__(self, request=None):
        super().__init__(request)
        self.received = 0
        self.too_large = False

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        # A body announced far larger than the limit stops at its first file chunk.
        self.too_large = bool(content_length and content_length > max_upload_bytes() + 2**20)

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.too_large or self.received > max_upload_bytes():
            self._refuse()
        return raw_data

    def file_complete(self, file_size):
        return None

    def _refuse(self):
        if self.request is not None:
            self.request.upload_too_large = True
        raise StopUpload(connection_reset=True)
