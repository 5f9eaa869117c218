"""What attendance erases when a person is erased (called by privacy.erasure)."""

from django.contrib.auth.models import AbstractBaseUser

from attendance.models import Certificate
from members.models import Person


def erase_person_data(*, person: Person, actor: AbstractBaseUser | None) -> None:
    """Erase what attendance holds about `person`.

    Erases their certificates of attendance: the rows go, so the verification code printed
    on a certificate no longer matches anything (the page would otherwise confirm, for an
    "Erased participant", the hours and tracks printed next to their real name).

    Keeps each registration's computed attendance (days present, sessions, minutes per
    track) and the organisations' participation records: they hold figures only, the person
    they point at is anonymised, and the congress's reports and engagement figures keep
    counting them. Closing the congress again may issue a new certificate to the anonymised
    registration; its code is new and no one holds it.

    Runs inside privacy.erasure.erase_person's transaction.
    """
    Certificate.objects.filter(registration__person=person).delete()
