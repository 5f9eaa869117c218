import datetime

import pytest
from django.utils import timezone

from cfp.models import Submission
from tests.factories.cfp import CallFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_submit_proposal_in_arabic_shows_it_right_to_left(live_server, page):
    now = timezone.now()
    call = CallFactory(
        title="Call for speakers",
        title_translations={"ar": "دعوة للمتحدثين"},
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=30),
        word_limit=20,
    )
    page.set_viewport_size({"width": 390, "height": 844})  # a phone

    page.goto(f"{live_server.url}/ar/congresses/{call.congress.slug}/cfp/{call.slug}/submit/")
    page.fill("#id_name", "أمينة بن سالم")
    page.fill("#id_email", "amina@example.org")
    page.select_option("#id_language", "ar")
    page.fill("#id_title", "الإعلام وإلغاء عقوبة الإعدام")
    page.fill("#id_abstract", "جلسة نقاش مع صحفيين من تونس والمغرب")
    page.click("#submit-proposal")

    page.wait_for_url("**/ar/cfp/submission/**")
    title = page.locator("#submission-title")
    assert title.inner_text() == "الإعلام وإلغاء عقوبة الإعدام"
    assert title.evaluate("element => getComputedStyle(element).direction") == "rtl"
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert Submission.objects.get().language == "ar"


def test_submit_form_with_error_keeps_arabic_text_and_shows_field_error(live_server, page):
    now = timezone.now()
    call = CallFactory(
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=30),
        word_limit=3,
    )

    page.goto(f"{live_server.url}/ar/congresses/{call.congress.slug}/cfp/{call.slug}/submit/")
    page.fill("#id_name", "أمينة")
    page.fill("#id_email", "amina@example.org")
    page.fill("#id_title", "عنوان")
    page.fill("#id_abstract", "كلمة كلمة كلمة كلمة كلمة")
    page.click("#submit-proposal")

    assert page.locator("[data-field='abstract']").count() == 1
    assert page.input_value("#id_abstract") == "كلمة كلمة كلمة كلمة كلمة"
    assert (
        page.locator("#id_abstract").evaluate("element => getComputedStyle(element).direction")
        == "rtl"
    )
    assert Submission.objects.count() == 0
