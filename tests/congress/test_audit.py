import datetime

import pytest
import time_machine
from django.db import transaction
from django.test import RequestFactory
from django.urls import resolve, reverse

from badges.models import Credential
from common.append_only import AppendOnlyViolation
from congress.audit import (
    admin_action_resource,
    append_only_events,
    command_resource,
    record_personal_data_access,
)
from congress.models import AuditEvent, CongressRole
from congress.services import record_audit
from tests.factories.congress import CongressRoleFactory
from tests.factories.members import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def data_protection_officer(congress):
    return CongressRoleFactory(congress=congress, role=CongressRole.Role.DATA_PROTECTION).user


def test_audit_queryset_update_is_refused(congress):
    record_audit(action="congress.published", congress=congress)

    with pytest.raises(AppendOnlyViolation):
        append_only_events().update(action="tampered")

    assert list(AuditEvent.objects.values_list("action", flat=True)) == ["congress.published"]


def test_audit_queryset_delete_is_refused(congress):
    record_audit(action="congress.published", congress=congress)

    with pytest.raises(AppendOnlyViolation):
        append_only_events().delete()

    assert AuditEvent.objects.count() == 1


def test_audit_default_manager_delete_is_refused_row_by_row(congress):
    record_audit(action="congress.published", congress=congress)

    with pytest.raises(AppendOnlyViolation), transaction.atomic():
        AuditEvent.objects.all().delete()

    assert AuditEvent.objects.count() == 1


def test_audit_row_resave_is_refused(congress):
    event = record_audit(action="congress.published", congress=congress)
    event.action = "tampered"

    with pytest.raises(AppendOnlyViolation):
        event.save()

    assert AuditEvent.objects.get().action == "congress.published"


def test_audit_row_delete_is_refused(congress):
    event = record_audit(action="congress.published", congress=congress)

    with pytest.raises(AppendOnlyViolation), transaction.atomic():
        event.delete()

    assert AuditEvent.objects.count() == 1


def _request_to(name: str, user, **kwargs):
    """A request as the URL resolver hands it to the view named `name`."""
    path = reverse(name, kwargs=kwargs)
    request = RequestFactory().get(path)
    request.user = user
    request.resolver_match = resolve(path)
    return request


def test_record_personal_data_access_names_the_url_and_masks_free_text(congress, organiser):
    request = _request_to("registrations:manage_export", organiser, slug=congress.slug)

    event = record_personal_data_access(
        request=request,
        congress=congress,
        kind="export",
        filters={"status": "confirmed", "search": "Amina Ben Salem", "country": ["TN", "MA"]},
        count=12,
        output_format="csv",
        columns=["name", "email"],
    )

    assert (event.action, event.actor, event.detail) == (
        "personal_data.export",
        organiser,
        {
            "resource": "registrations:manage_export",
            "filters": {"status": "confirmed", "search": "[free text]", "country": ["TN", "MA"]},
            "count": 12,
            "format": "csv",
            "columns": ["name", "email"],
        },
    )


def test_record_personal_data_access_of_an_api_endpoint_names_its_url(congress, organiser):
    request = _request_to("registration-list", organiser, slug=congress.slug)

    event = record_personal_data_access(request=request, congress=congress, kind="list", count=3)

    assert event.detail == {"resource": "registration-list", "filters": {}, "count": 3}


def test_record_personal_data_access_by_a_command_has_no_actor(congress):
    event = record_personal_data_access(
        actor=None, congress=congress, kind="badge_pdf", resource=command_resource("render_badges")
    )

    assert (event.actor, event.detail["resource"]) == (None, "command:render_badges")


def test_admin_action_resource_follows_the_admin_url_names():
    assert admin_action_resource(Credential, "download_badges") == (
        "admin:badges_credential_download_badges"
    )


@pytest.mark.parametrize("resource", ["registrations.export", "badges.print", "cfp:dashboard"])
def test_record_personal_data_access_refuses_a_resource_in_another_style(
    congress, organiser, resource
):
    with pytest.raises(ValueError, match="a view's resource is its URL name"):
        record_personal_data_access(
            actor=organiser, congress=congress, kind="list", resource=resource
        )

    assert AuditEvent.objects.count() == 0


def test_record_personal_data_access_needs_a_request_or_a_resource(congress, organiser):
    with pytest.raises(ValueError, match="Pass the request"):
        record_personal_data_access(actor=organiser, congress=congress, kind="list")


def test_record_personal_data_access_takes_the_actor_from_the_request_only(congress, organiser):
    request = _request_to("registration-list", organiser, slug=congress.slug)

    with pytest.raises(ValueError, match="not both"):
        record_personal_data_access(
            request=request, actor=UserFactory(), congress=congress, kind="list"
        )


def test_record_personal_data_access_unknown_kind_raises(congress, organiser):
    with pytest.raises(ValueError, match="Unknown personal-data access kind"):
        record_personal_data_access(
            actor=organiser, congress=congress, kind="peek", resource=command_resource("x")
        )


def test_audit_log_page_lists_events_of_own_congress_only(
    client, congress, other_congress, data_protection_officer
):
    record_audit(action="congress.published", congress=congress)
    record_audit(action="secret.elsewhere", congress=other_congress)
    client.force_login(data_protection_officer)

    response = client.get(reverse("privacy:audit-log", kwargs={"slug": congress.slug}))

    body = response.content.decode()
    assert response.status_code == 200
    assert "congress.published" in body
    assert "secret.elsewhere" not in body


@pytest.mark.parametrize("role", ["organiser", "checkin_staff", "reviewer", "visa_officer"])
def test_audit_log_page_without_data_protection_role_is_404(client, congress, role):
    user = CongressRoleFactory(congress=congress, role=role).user
    client.force_login(user)

    response = client.get(reverse("privacy:audit-log", kwargs={"slug": congress.slug}))

    assert response.status_code == 404


def test_audit_log_page_filters_by_action_and_date(client, congress, data_protection_officer):
    with time_machine.travel(datetime.datetime(2027, 6, 1, 12, tzinfo=datetime.UTC)):
        record_audit(action="personal_data.export", congress=congress, detail={"count": 1})
    with time_machine.travel(datetime.datetime(2027, 6, 20, 12, tzinfo=datetime.UTC)):
        record_audit(action="personal_data.export", congress=congress, detail={"count": 2})
        record_audit(action="congress.published", congress=congress)
    client.force_login(data_protection_officer)

    response = client.get(
        reverse("privacy:audit-log", kwargs={"slug": congress.slug}),
        {"action": "personal_data.export", "since": "2027-06-10"},
    )

    rows = [str(event.detail) for event in response.context["page"]]
    assert rows == ["{'count': 2}"]


@pytest.mark.parametrize("n", [1, 5])
def test_audit_log_page_query_count_is_flat(
    client, congress, data_protection_officer, django_assert_num_queries, n
):
    for index in range(n):
        record_audit(
            action="personal_data.list",
            congress=congress,
            actor=data_protection_officer,
            detail={"i": index},
        )
    client.force_login(data_protection_officer)
    url = reverse("privacy:audit-log", kwargs={"slug": congress.slug})

    # session, user, congress, role check, action choices, count, page of events
    with django_assert_num_queries(7):
        response = client.get(url)

    assert len(response.context["page"]) == n


def test_audit_log_page_has_no_edit_or_delete_controls(client, congress, data_protection_officer):
    record_audit(action="congress.published", congress=congress)
    client.force_login(data_protection_officer)

    response = client.get(reverse("privacy:audit-log", kwargs={"slug": congress.slug}))

    body = response.content.decode()
    assert 'method="post"' not in body.split('id="audit-filters"', 1)[1]


def test_manage_page_links_audit_log_for_data_protection_officer(client, congress):
    user = CongressRoleFactory(congress=congress, role=CongressRole.Role.ORGANISER).user
    CongressRoleFactory(congress=congress, user=user, role=CongressRole.Role.DATA_PROTECTION)
    client.force_login(user)

    response = client.get(reverse("congress:manage", kwargs={"slug": congress.slug}))

    assert reverse("privacy:audit-log", kwargs={"slug": congress.slug}) in response.content.decode()


def test_manage_page_hides_audit_log_link_from_plain_organiser(client, congress, organiser):
    client.force_login(organiser)

    response = client.get(reverse("congress:manage", kwargs={"slug": congress.slug}))

    assert "/privacy/" not in response.content.decode()


def test_deleting_a_staff_account_keeps_its_audit_rows_without_actor(congress, organiser):
    record_audit(action="congress.published", congress=congress, actor=organiser)

    organiser.delete()

    assert list(AuditEvent.objects.values_list("action", "actor")) == [("congress.published", None)]
