"""Demo step for the privacy features: the demo organiser is also the world congress's data
protection officer (audit log, erasure requests), and one participant has asked for erasure.
Idempotent: roles by get_or_create, the erasure request only when the person has none."""

from typing import TextIO

from congress.demo import DEMO_ORGANISER_USERNAME, WORLD_SLUG
from congress.models import Congress, CongressRole
from congress.services import grant_congress_role
from members.models import Person
from privacy.erasure import request_erasure
from privacy.models import ErasureRequest

# A participant from a non-member organisation asks for erasure after the congress.
# A non-member (LDH Lyon is not in the network) who asked to be forgotten.
ERASURE_DEMO_EMAIL = "zoe@example.org"


def load_privacy_demo(stdout: TextIO) -> None:
    world = Congress.objects.filter(slug=WORLD_SLUG).first()
    organiser = (
        CongressRole.objects.filter(
            congress=world, role=CongressRole.Role.ORGANISER, user__username=DEMO_ORGANISER_USERNAME
        )
        .select_related("user")
        .first()
    )
    if world is None or organiser is None:
        return
    grant_congress_role(congress=world, user=organiser.user, role=CongressRole.Role.DATA_PROTECTION)
    person = (
        Person.objects.filter(email=ERASURE_DEMO_EMAIL, erased_at__isnull=True)
        .order_by("pk")
        .first()
    )
    if person is not None and not ErasureRequest.objects.filter(person=person).exists():
        request_erasure(person=person, congress=world)
    stdout.write("Privacy: demo organiser is data protection officer of the world congress.\n")
