"""What the programme erases when a person is erased (called by privacy.erasure)."""

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from members.models import Person
from registrations.models import Registration
from sessions.services import cancel_signups_for_registration


def erase_person_data(*, person: Person, actor: AbstractBaseUser | None) -> None:
    """Give up the person's seats and waitlist places in sessions that have not started, so
    the next people on each waitlist move up (they are told, as for any cancellation).

    Keeps sign-ups of sessions that already started or ended (ids and dates only): they count
    in the attendance figures. The programme holds no biographies or photos; speaker rows
    name no one once the Person is anonymised. Runs inside privacy.erasure.erase_person's
    transaction.
    """
    now = timezone.now()
    for registration in Registration.objects.filter(person=person).order_by("pk"):
        cancel_signups_for_registration(registration=registration, starting_after=now)
