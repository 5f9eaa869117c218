"""What messaging erases when a person is erased (called by privacy.erasure)."""

from django.contrib.auth.models import AbstractBaseUser

from members.models import Person
from messaging.models import MailingRecipient, Unsubscription


def erase_person_data(*, person: Person, actor: AbstractBaseUser | None) -> None:
    """Delete the person's unsubscriptions and clear the provider message ids and
    unsubscribe-token hashes of their outbox rows (so no later event or link finds them).

    Keeps the outbox rows themselves (person id, state, dates: no address, no text): a
    mailing's counts stay right. Runs inside privacy.erasure.erase_person's transaction.
    """
    Unsubscription.objects.filter(person=person).delete()
    MailingRecipient.objects.filter(person=person).update(message_id="", unsubscribe_token_hash="")
