"""The registration API reads a usual body without its serializer
(`plain_registration_request`); anything else goes to RegistrationCreateSerializer. Both
must agree on every body: same values when the plain reader accepts, and the plain reader
never accepts what the serializer refuses."""

import pytest
from django.utils import translation

from registrations.api.serializers import RegistrationCreateSerializer, plain_registration_request

pytestmark = pytest.mark.django_db

USUAL = {"category": "participant", "email": "chidi@example.org", "name": "Chidi Okonkwo"}

# (body, read without the serializer?)
BODIES = [
    (USUAL, True),
    ({**USUAL, "country": "NG", "payment_method": "transfer"}, True),
    ({**USUAL, "country": "ng"}, True),
    ({**USUAL, "name": "عمر الفاروق", "language": "ar"}, True),
    ({**USUAL, "name": "Ève Lefèvre-Dupont", "language": "fr", "latin_name": "Eve"}, True),
    ({**USUAL, "payment_method": "card", "list_visibility": "participants"}, True),
    ({**USUAL, "voucher_code": "NGO-2027", "access_code": "PRESS", "invitation": "abc"}, True),
    ({**USUAL, "organisation_name": "ACAT Tunisie"}, True),
    ({**USUAL, "answers": {"diet": "vegan", "arrival": "2027-05-01", "ok": True}}, True),
    ({**USUAL, "answers": {}}, True),
    # To the serializer: it trims, refuses or looks up.
    ({**USUAL, "name": " Chidi "}, False),
    ({**USUAL, "name": ""}, False),
    ({**USUAL, "name": "x" * 201}, False),
    ({**USUAL, "name": "Chi\x00di"}, False),
    ({**USUAL, "name": "Chi\ud800di"}, False),
    ({**USUAL, "name": "Chidi\nOkonkwo"}, False),
    ({**USUAL, "name": None}, False),
    ({**USUAL, "name": 12}, False),
    ({**USUAL, "email": "not-an-address"}, False),
    ({**USUAL, "email": "CHIDI@EXAMPLE.ORG "}, False),
    ({**USUAL, "category": "part icipant"}, False),
    ({**USUAL, "category": "participant\n"}, False),
    ({**USUAL, "country": "Nigeria"}, False),
    ({**USUAL, "country": "XX"}, False),
    ({**USUAL, "country": ""}, False),
    ({**USUAL, "organisation": 1}, False),
    ({**USUAL, "latin_name": ""}, False),
    ({**USUAL, "voucher_code": "x" * 41}, False),
    ({**USUAL, "payment_method": "cash"}, False),
    ({**USUAL, "language": "de"}, False),
    ({**USUAL, "list_visibility": 1}, False),
    ({**USUAL, "answers": ["diet"]}, False),
    ({**USUAL, "unknown": "value"}, False),
    ({"email": "chidi@example.org", "name": "Chidi"}, False),
    ([USUAL], False),
]


@pytest.mark.parametrize(("body", "plain"), BODIES)
def test_the_plain_reader_and_the_serializer_agree(body, plain):
    with translation.override("en"):
        read = plain_registration_request(body)
        serializer = RegistrationCreateSerializer(data=body)
        valid = serializer.is_valid()

    assert (read is not None) == plain
    if read is not None:
        assert (valid, read) == (True, dict(serializer.validated_data))
