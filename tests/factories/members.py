import factory
from django.contrib.auth import get_user_model

from members.models import Membership, Network, NetworkAdministrator, Organisation, Person
from tests.factories.base import BaseFactory


class UserFactory(BaseFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class OrganisationFactory(BaseFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = Organisation.Kind.NGO
    country = "FR"


class NetworkFactory(BaseFactory):
    class Meta:
        model = Network

    name = factory.Sequence(lambda n: f"Network {n}")
    slug = factory.Sequence(lambda n: f"network-{n}")
    scope = Network.Scope.WORLD


class MembershipFactory(BaseFactory):
    class Meta:
        model = Membership

    organisation = factory.SubFactory(OrganisationFactory)
    network = factory.SubFactory(NetworkFactory)
    status = Membership.Status.ACTIVE


class PersonFactory(BaseFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Person {n}")
    latin_name = factory.LazyAttribute(lambda person: person.name)
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    country = "FR"
    preferred_language = "en"


class NetworkAdministratorFactory(BaseFactory):
    class Meta:
        model = NetworkAdministrator

    network = factory.SubFactory(NetworkFactory)
    user = factory.SubFactory(UserFactory)
