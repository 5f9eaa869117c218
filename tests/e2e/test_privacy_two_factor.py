import io

import pytest
import zxingcpp
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image

from congress.models import CongressRole
from tests.factories.congress import CongressFactory, CongressRoleFactory
from tests.factories.privacy import current_code

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct horse battery staple"


def _log_in(page, live_server, user) -> None:
    page.goto(f"{live_server.url}/en/accounts/login/?next=/en/admin/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")


def test_organiser_enrols_then_reaches_admin_without_csp_violations(live_server, page):
    congress = CongressFactory(requires_two_factor=True)
    user = CongressRoleFactory(congress=congress, role=CongressRole.Role.ORGANISER).user
    console = []
    page.on("console", lambda message: console.append(message.text))

    _log_in(page, live_server, user)
    page.wait_for_selector("#two-factor-enrol-form")
    assert page.locator("svg.totp-qr").count() == 1
    device = TOTPDevice.objects.get(user=user)
    shown = Image.open(io.BytesIO(page.locator("svg.totp-qr").screenshot()))
    assert [code.text for code in zxingcpp.read_barcodes(shown)] == [device.config_url]
    page.fill("#id_token", current_code(device))
    page.click("#two-factor-enrol-form button[type=submit]")

    page.wait_for_url(f"{live_server.url}/en/admin/")
    assert [text for text in console if "Content Security Policy" in text] == []


def test_user_with_device_is_asked_for_code_after_password(live_server, page):
    user = CongressRoleFactory(
        congress=CongressFactory(), role=CongressRole.Role.ORGANISER, user__is_superuser=True
    ).user
    device = TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)

    _log_in(page, live_server, user)
    page.wait_for_selector("#two-factor-verify-form")
    page.goto(f"{live_server.url}/en/admin/")
    still_asked = page.locator("#two-factor-verify-form").count()
    page.fill("#id_token", current_code(device))
    page.click("#two-factor-verify-form button[type=submit]")

    page.wait_for_url(f"{live_server.url}/en/admin/")
    assert still_asked == 1
    assert page.locator("#site-name").count() == 1
