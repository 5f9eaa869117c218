"""Every admin changelist opens on a full demo without querying per row."""

import io

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories.members import UserFactory

pytestmark = pytest.mark.django_db

# A changelist shows up to 100 rows; a per-row query would blow well past this bound.
MAX_QUERIES_PER_CHANGELIST = 30


def test_every_admin_changelist_loads_the_demo_with_a_bounded_query_count(client):
    call_command("demo", "--allow-production", stdout=io.StringIO())
    superuser = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(superuser)
    probe = RequestFactory().get("/")
    probe.user = superuser
    counts = {}

    for model, model_admin in admin.site._registry.items():
        if not model_admin.has_view_permission(probe):
            continue
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[url] = len(queries)

    too_many = {url: count for url, count in counts.items() if count > MAX_QUERIES_PER_CHANGELIST}
    assert too_many == {}
    assert len(counts) >= 20
