"""The shared factories build valid, consistent objects (same congress across relations)."""

import pytest

from tests.factories.badges import CheckInFactory
from tests.factories.sessions import SessionSignupFactory

pytestmark = pytest.mark.django_db


def test_checkin_factory_keeps_one_congress():
    checkin = CheckInFactory()

    assert checkin.credential.registration.congress == checkin.checkpoint.congress


def test_session_signup_factory_keeps_one_congress():
    signup = SessionSignupFactory()

    assert signup.registration.congress == signup.session.congress
    assert signup.registration.category.congress == signup.session.congress
