import datetime

import factory

from congress.models import Congress, CongressRole, Track
from tests.factories.base import BaseFactory
from tests.factories.members import UserFactory


class CongressFactory(BaseFactory):
    class Meta:
        model = Congress

    slug = factory.Sequence(lambda n: f"congress-{n}")
    name = factory.Sequence(lambda n: f"Congress {n}")
    kind = Congress.Kind.WORLD
    starts_on = datetime.date(2027, 6, 15)
    ends_on = datetime.date(2027, 6, 17)
    timezone = "Europe/Paris"
    city = "Strasbourg"
    country = "FR"
    working_languages = factory.LazyFunction(lambda: ["en", "fr", "ar"])
    currency = "EUR"
    status = Congress.Status.PUBLISHED


class TrackFactory(BaseFactory):
    class Meta:
        model = Track

    congress = factory.SubFactory(CongressFactory)
    slug = factory.Sequence(lambda n: f"track-{n}")
    name = factory.Sequence(lambda n: f"Track {n}")
    theme = Track.Theme.DRUG_POLICY


class CongressRoleFactory(BaseFactory):
    class Meta:
        model = CongressRole

    congress = factory.SubFactory(CongressFactory)
    user = factory.SubFactory(UserFactory, is_staff=True)
    role = CongressRole.Role.ORGANISER
