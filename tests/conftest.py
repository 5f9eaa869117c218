import io
import logging
import re
import unicodedata

import pypdf
import pypdfium2
import pytest
import zxingcpp
from django.db import connection
from PIL import Image, ImageDraw
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from congress.models import CongressRole
from tests.factories.congress import CongressFactory, CongressRoleFactory


def pytest_configure(config):
    """The PDF fonts' static instances exist before the first test runs.

    `make test` makes them first (`make fonts`, cached outside the tree), so here this is a
    few file checks. A bare `pytest` on a cold machine makes the missing ones here, once, in
    the controlling process: otherwise each xdist worker would build the same CJK instances
    (about 90 s of CPU) when its first PDF test needs them. It also registers the check
    that the race tests are grouped on one xdist worker (_RaceGroupCheck).
    """
    config.pluginmanager.register(_RaceGroupCheck(), "race-group-check")
    if hasattr(config, "workerinput"):  # an xdist worker: the controller has made them
        return
    from common.pdf import fonts

    if fonts.missing():
        # Django's logging is set up by now; fontTools' per-table notes are noise here.
        logging.getLogger("fontTools").setLevel(logging.WARNING)
        fonts.main()


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Concurrency tests need PostgreSQL's row locks; SQLite serialises writers instead.

    Under pytest-xdist (`make test` runs two workers) every race test goes to one worker
    (`--dist loadgroup`), so two races never compete for PostgreSQL's connection limit.
    `tryfirst`: xdist reads the group marks in its own hook of this name, which would
    otherwise run first and see none (the races then ran on both workers at once).
    """
    from django.conf import settings

    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(pytest.mark.xdist_group("postgres-races"))
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        return
    reason = pytest.mark.skip(
        reason="needs PostgreSQL (set DATABASE_URL): SQLite has no row-level locks to race"
    )
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(reason)


class _RaceGroupCheck:
    """Fails every race test loudly if it is not grouped on one xdist worker: xdist passes
    the group in the test's id (`...@postgres-races`), which pytest 9.2 no longer lets it
    change (pytest-xdist#1386, hence pytest 9.1 in pyproject.toml); nothing else would
    tell. `trylast`: after xdist's own hook, in its workers (`loadgroup` is set there)."""

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, config, items):
        if not getattr(config.option, "loadgroup", False):  # set in xdist workers only
            return
        for item in items:
            if "postgres" in item.keywords and not item.nodeid.endswith("@postgres-races"):
                item.add_marker(pytest.mark.ungrouped_race)

    def pytest_runtest_setup(self, item):
        if item.get_closest_marker("ungrouped_race"):
            pytest.fail(
                "not grouped on one xdist worker (--dist loadgroup): the race tests would "
                "run on both workers at once"
            )


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the default language: a view or a mail rendered in Arabic by
    one test must not leave Arabic active for the next test of the same worker."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(scope="session", autouse=True)
def _flush_past_append_only_triggers():
    """Let Django's flush (after each transactional test) empty append-only tables on SQLite.

    SQLite flushes with DELETE, which the append-only triggers refuse (common.append_only):
    the flush drops every trigger first and re-creates it after, in the same transaction.
    PostgreSQL flushes with TRUNCATE, which row triggers do not see.
    """
    if connection.vendor != "sqlite":
        yield
        return
    operations = type(connection.ops)
    flush = operations.sql_flush

    def flush_around_triggers(self, style, tables, **options):
        statements = flush(self, style, tables, **options)
        if not statements:
            return statements
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
            triggers = cursor.fetchall()
        drops = [f'DROP TRIGGER "{name}"' for name, _sql in triggers]
        return [*drops, *statements, *(sql for _name, sql in triggers)]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(operations, "sql_flush", flush_around_triggers)
        yield


@pytest.fixture
def is_postgres() -> bool:
    return connection.vendor == "postgresql"


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def congress():
    return CongressFactory()


@pytest.fixture
def other_congress():
    return CongressFactory()


def _staff(congress, role):
    return CongressRoleFactory(congress=congress, role=role).user


@pytest.fixture
def organiser(congress):
    return _staff(congress, CongressRole.Role.ORGANISER)


@pytest.fixture
def checkin_staff(congress):
    return _staff(congress, CongressRole.Role.CHECKIN_STAFF)


@pytest.fixture
def reviewer(congress):
    return _staff(congress, CongressRole.Role.REVIEWER)


@pytest.fixture
def token_client():
    """`token_client(user)` -> an APIClient sending `Authorization: Token <key>`."""

    def make(user) -> APIClient:
        client = APIClient()
        token, _created = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


@pytest.fixture
def pdf_qr_symbols():
    """`pdf_qr_symbols(data)` -> the QR codes read on each page of a PDF (zxing-cpp results,
    sorted by text; `.text`, `.ec_level`, `.extra["Version"]`, `.extra["DataMask"]`)."""

    def decode(data: bytes) -> list[list[zxingcpp.Barcode]]:
        document = pypdfium2.PdfDocument(data)
        pages = []
        for page in document:
            image = page.render(scale=3).to_pil()
            codes = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
            # Every code we print carries a token of 22 characters or a link: version 2 at
            # least. A version 1 symbol is the reader stitching finder patterns of
            # neighbouring codes together (seen once in CI on a sheet of 8 badges: "68").
            codes = [code for code in codes if code.extra.get("Version") != "1"]
            pages.append(sorted(codes, key=lambda code: code.text))
            page.close()
        document.close()
        return pages

    return decode


@pytest.fixture
def pdf_qr_codes(pdf_qr_symbols):
    """`pdf_qr_codes(data)` -> the texts of every QR code on every page, page by page."""

    def decode(data: bytes) -> list[list[str]]:
        return [[code.text for code in page] for page in pdf_qr_symbols(data)]

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


@pytest.fixture
def pdf_reading_lines():
    """`pdf_reading_lines(data)` -> every page's text lines as a PDF reader copies them
    (pdfium, the engine of Chromium's PDF viewer), NFKC-folded. pdfium puts right-to-left
    lines back in reading order; pypdf reverses Arabic runs without mirroring brackets, so
    only this can judge a line's base direction (docs/pdf.md "Direction")."""

    def extract(data: bytes) -> list[str]:
        document = pypdfium2.PdfDocument(data)
        lines = []
        for page in document:
            text = page.get_textpage().get_text_range()
            lines += [unicodedata.normalize("NFKC", line) for line in text.splitlines()]
        document.close()
        return lines

    return extract


# The path our inline QR SVGs draw: one "M column row h length v1 h-length z" per dark run.
_SVG_RUN = re.compile(r"M(\d+) (\d+)h(\d+)v1h-\3z")


@pytest.fixture
def svg_qr_codes():
    """`svg_qr_codes(markup)` -> the texts of the QR codes read from an inline QR SVG,
    rasterised at 8 px a module (only the path commands `common.pdf.qr_svg` writes)."""

    def decode(markup: str) -> list[str]:
        [(width, height)] = re.findall(r'viewBox="0 0 (\d+) (\d+)"', markup)
        width, height = int(width), int(height)
        [path] = re.findall(r'<path d="([^"]*)"/>', markup)
        assert "".join(match.group(0) for match in _SVG_RUN.finditer(path)) == path
        image = Image.new("L", (width * 8, height * 8), 255)
        draw = ImageDraw.Draw(image)
        for match in _SVG_RUN.finditer(path):
            column, row, length = (int(value) for value in match.groups())
            draw.rectangle(
                (column * 8, row * 8, (column + length) * 8 - 1, (row + 1) * 8 - 1), fill=0
            )
        codes = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
        return [code.text for code in codes]

    return decode


from tests.mail_fixtures import _smtp_server_session, smtp_server, task_worker  # noqa: E402, F401


@pytest.fixture
def redis_unreachable(settings):
    """The shared cache is Redis on a closed loopback port (nothing listens on port 9):
    every cache call fails, and common.cache tries it again on each call."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        }
    }
    settings.CACHE_RETRY_AFTER_SECONDS = 0
