"""Property-based API check (schemathesis): no operation answers a server error or breaks
the published schema (issue 17). Bounded so it runs in `make test`: a fixed seed, a few
examples per operation, the GET operations and the public POSTs."""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from config.wsgi import application

PUBLIC_POSTS = {
    "/api/v1/congresses/{slug}/registrations/",
    "/api/v1/congresses/{slug}/submissions/",
}
EXAMPLES = 3


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Call the WSGI application as Django's test client does: the end of each request must
    not close the database connection that holds the test's transaction (PostgreSQL)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


schema = schemathesis.openapi.from_wsgi("/api/schema/", application).include(
    func=lambda context: (
        context.operation.method.upper() == "GET"
        or (context.operation.method.upper() == "POST" and context.operation.path in PUBLIC_POSTS)
    )
)


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_operation_never_fails_and_keeps_to_its_schema(case):
    case.call_and_validate()
