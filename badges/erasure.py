"""What badges erase when a person is erased (called by privacy.erasure)."""

from django.contrib.auth.models import AbstractBaseUser

from badges.models import HeadsetLoan
from badges.services import revoke_credentials_of_person
from members.models import Person


def erase_person_data(*, person: Person, actor: AbstractBaseUser | None) -> None:
    """Revoke the person's active badge credentials (reason "person_erased"), so a printed
    QR code no longer admits its holder; each revocation is audited (ids only).

    Clears the phone numbers given at the headset desk; the loans themselves stay (headset
    numbers, times and deposits, no personal data of their own).

    Keeps the credential rows (random tokens, no personal data) and the check-ins and scans
    made with them: attendance figures are computed from those.

    Runs inside privacy.erasure.erase_person's transaction.
    """
    revoke_credentials_of_person(person_id=person.pk, actor=actor)
    HeadsetLoan.objects.filter(registration__person=person).update(phone="")
