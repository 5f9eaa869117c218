"""The scanner works offline: the service worker reloads the page without the network, a
badge scanned twice offline is "already checked in", and the queue uploads once."""

import pytest

from badges.models import CheckIn, Scan
from congress.models import CongressRole
from tests.factories.badges import CheckpointFactory, CredentialFactory
from tests.factories.congress import CongressFactory, CongressRoleFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _cut_service_worker(route):
    if route.request.service_worker is not None:
        route.abort("internetdisconnected")
    else:
        route.continue_()


def _wait_until(page, expression: str):
    """Poll `expression` in the page until it is truthy (wait_for_function evaluates a
    string with eval, which the site's CSP refuses)."""
    for _attempt in range(100):
        value = page.evaluate(expression)
        if value:
            return value
        page.wait_for_timeout(100)
    raise AssertionError(f"never true: {expression}")


def _scan(page, token: str) -> str:
    """Scan `token` with the keyboard input; the result shown (a new one each time)."""
    page.evaluate("document.getElementById('result').dataset.result = 'idle'")
    page.fill("#token-input", token)
    page.press("#token-input", "Enter")
    return _wait_until(
        page,
        "document.getElementById('result').dataset.result !== 'idle'"
        " && document.getElementById('result').dataset.result",
    )


def test_scanner_reloads_and_scans_offline_then_uploads_once(live_server, page):
    congress = CongressFactory()
    staff = CongressRoleFactory(congress=congress, role=CongressRole.Role.CHECKIN_STAFF).user
    entrance = CheckpointFactory(congress=congress)
    credential = CredentialFactory(registration__congress=congress)
    context = page.context
    list_key, queue_key = f"badges-offline-list-{congress.slug}", f"badges-queue-{congress.slug}"
    page.goto(f"{live_server.url}/en/accounts/login/")
    page.fill("input[name=username]", staff.username)
    page.fill("input[name=password]", "correct horse battery staple")
    page.press("input[name=password]", "Enter")
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/en/checkin/{congress.slug}/")
    page.select_option("#checkpoint-select", str(entrance.pk))
    page.wait_for_selector("#ready-offline[data-ok='1']")
    _wait_until(
        page,
        f"(JSON.parse(localStorage.getItem('{list_key}') || '{{}}').checkpoint) === {entrance.pk}",
    )

    uploads = []
    page.on(
        "request",
        lambda request: (
            uploads.append(request.method) if request.url.endswith("/checkins/batch/") else None
        ),
    )
    context.set_offline(True)
    context.route("**/*", _cut_service_worker)
    page.reload()
    page.select_option("#checkpoint-select", str(entrance.pk))
    page.wait_for_selector("#network-status[data-state='offline']")
    first, second = _scan(page, credential.token), _scan(page, credential.token)
    queued = page.evaluate(f"JSON.parse(localStorage.getItem('{queue_key}')).length")
    context.unroute("**/*", _cut_service_worker)
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    _wait_until(page, f"JSON.parse(localStorage.getItem('{queue_key}')).length === 0")
    page.wait_for_timeout(500)  # a second upload, if one were sent, would have left by now

    assert (first, second) == ("offline_ok", "already_checked_in")
    assert CheckIn.objects.filter(credential=credential).count() == 1
    assert sorted(Scan.objects.values_list("result", flat=True)) == [
        "already_checked_in",
        "ok",
    ]
    assert queued == 2
    assert uploads == ["POST"]  # "online" and the list sync both ask; one upload goes


@pytest.mark.parametrize(("allowed", "shown"), [(False, ""), (True, "Amina Haddad")])
def test_offline_scan_shows_the_name_only_where_the_organiser_allows(
    live_server, page, allowed, shown
):
    congress = CongressFactory()
    staff = CongressRoleFactory(congress=congress, role=CongressRole.Role.CHECKIN_STAFF).user
    entrance = CheckpointFactory(congress=congress, offline_list_shows_names=allowed)
    credential = CredentialFactory(
        registration__congress=congress, registration__person__name="Amina Haddad"
    )
    list_key = f"badges-offline-list-{congress.slug}"
    page.goto(f"{live_server.url}/en/accounts/login/")
    page.fill("input[name=username]", staff.username)
    page.fill("input[name=password]", "correct horse battery staple")
    page.press("input[name=password]", "Enter")
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/en/checkin/{congress.slug}/")
    page.select_option("#checkpoint-select", str(entrance.pk))
    _wait_until(
        page,
        f"(JSON.parse(localStorage.getItem('{list_key}') || '{{}}').checkpoint) === {entrance.pk}",
    )

    page.context.set_offline(True)
    page.evaluate("window.dispatchEvent(new Event('offline'))")
    page.wait_for_selector("#network-status[data-state='offline']")
    result = _scan(page, credential.token)

    assert (result, page.text_content("#result-name")) == ("offline_ok", shown)


def test_a_late_answer_from_before_the_network_dropped_leaves_the_scanner_offline(
    live_server, page
):
    """The door counter's request, sent while online, answers after the browser went
    offline: the scanner must stay offline (it used to say "Online" again and scan online,
    each scan failing before it fell back to the offline list)."""
    congress = CongressFactory()
    staff = CongressRoleFactory(congress=congress, role=CongressRole.Role.CHECKIN_STAFF).user
    entrance = CheckpointFactory(congress=congress)
    list_key = f"badges-offline-list-{congress.slug}"
    page.goto(f"{live_server.url}/en/accounts/login/")
    page.fill("input[name=username]", staff.username)
    page.fill("input[name=password]", "correct horse battery staple")
    page.press("input[name=password]", "Enter")
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/en/checkin/{congress.slug}/")
    held = []
    page.route(f"**/congresses/{congress.slug}/checkpoints/", lambda route: held.append(route))
    page.select_option("#checkpoint-select", str(entrance.pk))
    _wait_until(
        page,
        f"(JSON.parse(localStorage.getItem('{list_key}') || '{{}}').checkpoint) === {entrance.pk}",
    )
    for _attempt in range(100):  # the counter's request, held on its way
        if held:
            break
        page.wait_for_timeout(100)

    page.context.set_offline(True)
    page.evaluate("window.dispatchEvent(new Event('offline'))")
    page.wait_for_selector("#network-status[data-state='offline']")
    with page.expect_response(f"**/congresses/{congress.slug}/checkpoints/"):
        held[0].fulfill(status=200, content_type="application/json", body="[]")
    page.evaluate("new Promise((resolve) => setTimeout(resolve, 200))")  # the answer handled

    assert page.get_attribute("#network-status", "data-state") == "offline"
