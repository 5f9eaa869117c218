import pytest

from registrations.self_service import issue_access_token, registration_for_access_token
from tests.factories.registrations import RegistrationFactory

pytestmark = pytest.mark.django_db


def test_registration_for_access_token_finds_own_registration():
    registration = RegistrationFactory()
    token = issue_access_token(registration=registration)

    assert registration_for_access_token(token=token) == registration


def test_issue_access_token_stores_only_a_hash():
    registration = RegistrationFactory()

    token = issue_access_token(registration=registration)

    registration.refresh_from_db()
    assert token not in registration.access_token_hash
    assert len(registration.access_token_hash) == 64


def test_issue_access_token_again_revokes_the_previous_link():
    registration = RegistrationFactory()
    old_token = issue_access_token(registration=registration)

    issue_access_token(registration=registration)

    assert registration_for_access_token(token=old_token) is None


@pytest.mark.parametrize("token", ["", "garbage", "x" * 500])
def test_registration_for_access_token_unknown_is_none(token):
    RegistrationFactory()

    assert registration_for_access_token(token=token) is None
