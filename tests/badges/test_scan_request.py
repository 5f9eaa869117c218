"""The scanner's usual body is read without a serializer (badges.api.serializers.
plain_scan_request); whatever it reads, it must read exactly as CheckInRequestSerializer
would, and anything unusual is left to the serializer (same values, same errors)."""

import uuid

import pytest

from badges.api.serializers import CheckInRequestSerializer, plain_scan_request

SCAN_ID = str(uuid.uuid4())

# The bodies read without the serializer: the scanner page's own (0-4) and a bare-hex scan id.
TAKEN = {0, 1, 2, 3, 4, 15}
BODIES = [
    {"token": "AbCdEfGhIjKlMnOpQrStUv"},
    {"token": "AbCdEfGhIjKlMnOpQrStUv", "device_id": "phone-1", "scan_id": SCAN_ID},
    {"token": "x" * 22, "checkpoint": 7, "direction": "exit", "device_id": ""},
    {"token": "", "checkpoint": None, "scan_id": None},
    {},
    {"token": " padded "},
    {"token": "x" * 513},
    {"token": "nul\x00byte"},
    {"token": 12345},
    {"token": "x" * 22, "checkpoint": "7"},
    {"token": "x" * 22, "checkpoint": True},
    {"token": "x" * 22, "checkpoint": 7.0},
    {"token": "x" * 22, "direction": "sideways"},
    {"token": "x" * 22, "direction": ["entry"]},
    {"token": "x" * 22, "scan_id": "not-a-uuid"},
    {"token": "x" * 22, "scan_id": SCAN_ID.replace("-", "")},
    {"token": "x" * 22, "device_id": "d" * 65},
    {"token": "x" * 22, "device_id": "téléphone"},
    {"token": "x" * 22, "scanned_at": "2027-05-03T09:00:00Z"},
    {"token": "x" * 22, "registration": 5},
    {"token": "x" * 22, "colour": "blue"},
    ["not", "an", "object"],
]


@pytest.mark.parametrize("body", BODIES, ids=range(len(BODIES)))
def test_plain_scan_request_reads_a_body_as_the_serializer_does_or_leaves_it(body):
    serializer = CheckInRequestSerializer(data=body)
    valid = serializer.is_valid()

    plain = plain_scan_request(body)

    if plain is not None:
        assert valid is True
        assert plain == dict(serializer.validated_data)
    assert (plain is not None) == (BODIES.index(body) in TAKEN)


def test_plain_scan_request_takes_the_scanner_page_s_body():
    body = {"token": "AbCdEfGhIjKlMnOpQrStUv", "device_id": "phone-1", "scan_id": SCAN_ID}

    assert plain_scan_request(body) == {
        "token": "AbCdEfGhIjKlMnOpQrStUv",
        "registration": None,
        "checkpoint": None,
        "scan_id": uuid.UUID(SCAN_ID),
        "direction": "entry",
        "scanned_at": None,
        "device_id": "phone-1",
    }
