import django_filters

from registrations.models import Registration


class RegistrationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Registration.Status.choices)
    category = django_filters.CharFilter(field_name="category__code")
    organisation = django_filters.NumberFilter(field_name="person__organisation_id")
    country = django_filters.CharFilter(field_name="person__country")

    class Meta:
        model = Registration
        fields = ["status", "category", "organisation", "country"]
