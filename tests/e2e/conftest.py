"""Browser tests: Debian's Chromium driven by Playwright (no browser download).

`make test` installs Chromium when it is missing and it can (root); otherwise these tests are
skipped with the reason below. CI runs them.
"""

import os
import shutil
import tempfile
import threading
import time

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")

# Playwright's sync API runs an event loop in this thread; the Django ORM calls made by the
# test itself (arranging data) are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# Requests made by service workers go through `context.route` only with this flag: the
# offline scanner test cuts them off there, since `context.set_offline` does not reach
# service workers (microsoft/playwright#2311).
os.environ.setdefault("PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS", "1")


def pytest_collection_modifyitems(config, items):
    if os.path.exists(CHROMIUM):
        return
    skip = pytest.mark.skip(
        reason=f"Chromium not found at {CHROMIUM}: install Debian's chromium package "
        "(make test does it when run as root) or set CHROMIUM_PATH"
    )
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    profile = tempfile.mkdtemp(prefix="e2e-chromium-")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    # The page's scripts and service worker may still be talking to the live server (the
    # scanner syncs in the background; `set_offline` does not reach service workers): cut
    # them off, close the context, and let the live server finish any request already
    # received, before the test database is flushed (else the flush finds a table locked or
    # the request finds the database closed).
    context.route("**/*", lambda route: route.abort())
    context.close()
    _wait_for_live_server_requests()


def _wait_for_live_server_requests(timeout: float = 10) -> None:
    """Until no request thread of the live server (socketserver.ThreadingMixIn) runs."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not any(
            thread.name.endswith("(process_request_thread)") for thread in threading.enumerate()
        ):
            return
        time.sleep(0.02)
