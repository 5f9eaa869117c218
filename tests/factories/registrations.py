import factory

from registrations.models import Registration, RegistrationCategory
from tests.factories.base import BaseFactory
from tests.factories.congress import CongressFactory
from tests.factories.members import PersonFactory


class RegistrationCategoryFactory(BaseFactory):
    class Meta:
        model = RegistrationCategory

    congress = factory.SubFactory(CongressFactory)
    code = factory.Sequence(lambda n: f"category-{n}")
    kind = RegistrationCategory.Kind.PARTICIPANT
    name = factory.Sequence(lambda n: f"Category {n}")


class RegistrationFactory(BaseFactory):
    class Meta:
        model = Registration

    congress = factory.SubFactory(CongressFactory)
    person = factory.SubFactory(PersonFactory)
    category = factory.SubFactory(
        RegistrationCategoryFactory, congress=factory.SelfAttribute("..congress")
    )
    status = Registration.Status.CONFIRMED
