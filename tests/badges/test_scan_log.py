"""The scan log is append-only in code: no save of an existing row, no update, no delete."""

import pytest
from django.db import transaction

from badges.models import Scan
from badges.services import record_scan
from common.append_only import AppendOnlyViolation
from tests.factories.badges import CredentialFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def scan(congress) -> Scan:
    credential = CredentialFactory(registration__congress=congress)
    return record_scan(congress=congress, token=credential.token, device_id="door-1").scan


def _log(congress) -> list[tuple]:
    return list(Scan.objects.filter(congress=congress).values_list("result", "device_id"))


def test_scan_resave_of_existing_row_is_refused(congress, scan):
    scan.result = Scan.Result.INVALID

    with pytest.raises(AppendOnlyViolation):
        scan.save()

    assert _log(congress) == [("ok", "door-1")]


def test_scan_delete_is_refused(congress, scan):
    with pytest.raises(AppendOnlyViolation), transaction.atomic():
        scan.delete()

    assert _log(congress) == [("ok", "door-1")]


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(lambda scans: scans.update(device_id="forged"), id="update"),
        pytest.param(lambda scans: scans.delete(), id="delete"),
        pytest.param(lambda scans: scans.bulk_update(list(scans), ["device_id"]), id="bulk"),
        pytest.param(
            lambda scans: scans.update_or_create(scan_id=None, defaults={"device_id": "x"}),
            id="update_or_create",
        ),
    ],
)
def test_scan_queryset_changes_are_refused(congress, scan, tamper):
    with pytest.raises(AppendOnlyViolation), transaction.atomic():
        tamper(Scan.objects.filter(congress=congress))

    assert _log(congress) == [("ok", "door-1")]
