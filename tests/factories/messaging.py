import factory

from messaging.models import Mailing, MailingRecipient
from tests.factories.base import BaseFactory
from tests.factories.congress import CongressFactory
from tests.factories.members import PersonFactory


class MailingFactory(BaseFactory):
    class Meta:
        model = Mailing

    congress = factory.SubFactory(CongressFactory)
    subject_translations = factory.LazyFunction(lambda: {"en": "News"})
    body_translations = factory.LazyFunction(lambda: {"en": "Dear {name}"})
    status = Mailing.Status.SENT


class MailingRecipientFactory(BaseFactory):
    class Meta:
        model = MailingRecipient

    mailing = factory.SubFactory(MailingFactory)
    person = factory.SubFactory(PersonFactory)
    language = "en"
    state = MailingRecipient.State.SENT
