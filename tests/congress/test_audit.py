import datetime

import pytest
import time_machine
from django.db import transaction
from django.urls import reverse

from common.append_only import AppendOnlyViolation
from congress.audit import append_only_events, record_personal_data_access
from congress.models import AuditEvent, CongressRole
from congress.services import record_audit
from tests.factories.congress import CongressRoleFactory

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


def test_record_personal_data_access_masks_free_text_filters(congress, organiser):
    event = record_personal_data_access(
        actor=organiser,
        congress=congress,
        kind="export",
        resource="registrations.export",
        filters={"status": "confirmed", "search": "Amina Ben Salem", "country": ["TN", "MA"]},
        count=12,
        output_format="csv",
    )

    assert event.action == "personal_data.export"
    assert event.actor == organiser
    assert event.detail == {
        "resource": "registrations.export",
        "filters": {"status": "confirmed", "search": "[free text]", "country": ["TN", "MA"]},
        "count": 12,
        "format": "csv",
    }


def test_record_personal_data_access_unknown_kind_raises(congress, organiser):
    with pytest.raises(ValueError, match="Unknown personal-data access kind"):
        record_personal_data_access(actor=organiser, congress=congress, kind="peek", resource="x")


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
