import datetime

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from badges.models import CheckIn
from common.cache import reset_cache_failures
from common.mail import MailNotSent, deliver_email
from tests.factories.badges import CredentialFactory
from tests.factories.members import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _fresh_breaker():
    reset_cache_failures()
    cache.clear()  # another test's mail failure stays in the shared cache for 15 minutes
    yield
    reset_cache_failures()


def test_healthz_all_working_answers_200_naming_each_check(client):
    response = client.get("/healthz")

    assert (response.status_code, response.json()) == (
        200,
        {
            "status": "ok",
            "down": [],
            "checks": {"database": "ok", "cache": "ok", "tasks": "not_used", "mail": "ok"},
            "cache_failures": 0,
        },
    )
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"


def test_healthz_with_redis_unreachable_answers_503_naming_the_cache(client, redis_unreachable):
    response = client.get("/healthz")

    body = response.json()
    assert (response.status_code, body["status"], body["down"]) == (503, "down", ["cache"])
    assert body["checks"] == {
        "database": "ok",
        "cache": "down",
        "tasks": "not_used",
        "mail": "unknown",
    }


def test_livez_stays_trivial_with_redis_unreachable(client, redis_unreachable):
    response = client.get("/livez")

    assert (response.status_code, response.content) == (200, b"ok")


def test_scan_with_redis_unreachable_still_checks_in(
    congress, checkin_staff, token_client, redis_unreachable
):
    credential = CredentialFactory(registration__congress=congress)

    response = token_client(checkin_staff).post(
        f"/api/v1/congresses/{congress.slug}/checkins/", {"token": credential.token}, format="json"
    )

    assert (response.status_code, response.json()["result"]) == (200, "ok")
    assert CheckIn.objects.filter(credential=credential).count() == 1


def test_login_with_redis_unreachable_still_signs_in(client, redis_unreachable):
    user = UserFactory(username="door.staff", password=PASSWORD)

    response = client.post(reverse("login"), {"username": "door.staff", "password": PASSWORD})

    assert (response.status_code, client.session["_auth_user_id"]) == (302, str(user.pk))


def test_api_token_with_redis_unreachable_is_issued(api_client, redis_unreachable):
    UserFactory(username="door.staff", password=PASSWORD)

    response = api_client.post(
        "/api/v1/auth/token/", {"username": "door.staff", "password": PASSWORD}, format="json"
    )

    assert (response.status_code, sorted(response.json())) == (200, ["token"])


def test_healthz_task_waiting_too_long_is_down(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.HEALTH_TASK_MAX_WAIT_SECONDS = 300
    task = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="registrations.tasks.anything",
        backend_name="default",
        run_after=timezone.now(),
    )
    DBTaskResult.objects.filter(pk=task.pk).update(
        enqueued_at=timezone.now() - datetime.timedelta(minutes=6)
    )

    body = client.get("/healthz").json()

    assert (body["down"], body["checks"]["tasks"]) == (["tasks"], "down")


def test_healthz_recent_waiting_task_is_ok(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="registrations.tasks.anything",
        backend_name="default",
        run_after=timezone.now(),
    )

    response = client.get("/healthz")

    assert (response.status_code, response.json()["checks"]["tasks"]) == (200, "ok")


def test_healthz_mail_server_failing_is_down_until_a_mail_is_sent(client, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9
    # What the e-mail task does for each queued message (common.tasks.send_email_task).
    with pytest.raises(MailNotSent):
        deliver_email(to="amal@example.org", subject="Hello", body="Body")
    down = client.get("/healthz").json()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    deliver_email(to="amal@example.org", subject="Hello", body="Body")

    back = client.get("/healthz").json()

    assert (down["down"], back["down"], len(mail.outbox)) == (["mail"], [], 1)
