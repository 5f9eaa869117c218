import factory


class BaseFactory(factory.django.DjangoModelFactory):
    """Shared behaviour for every factory: create the minimum valid object, nothing more."""

    class Meta:
        abstract = True
        skip_postgeneration_save = True
