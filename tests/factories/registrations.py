import factory

from registrations.models import (
    CountryGroup,
    FeeRule,
    Question,
    Registration,
    RegistrationCategory,
    Voucher,
)
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


class CountryGroupFactory(BaseFactory):
    class Meta:
        model = CountryGroup

    congress = factory.SubFactory(CongressFactory)
    code = factory.Sequence(lambda n: f"group-{n}")
    name = factory.Sequence(lambda n: f"Group {n}")
    countries = factory.LazyFunction(list)


class FeeRuleFactory(BaseFactory):
    class Meta:
        model = FeeRule

    category = factory.SubFactory(RegistrationCategoryFactory)
    amount_minor = 30000


class VoucherFactory(BaseFactory):
    class Meta:
        model = Voucher

    congress = factory.SubFactory(CongressFactory)
    code = factory.Sequence(lambda n: f"VOUCHER{n}")
    kind = Voucher.Kind.WAIVER


class QuestionFactory(BaseFactory):
    class Meta:
        model = Question

    congress = factory.SubFactory(CongressFactory)
    code = factory.Sequence(lambda n: f"question-{n}")
    label = factory.Sequence(lambda n: f"Question {n}")
