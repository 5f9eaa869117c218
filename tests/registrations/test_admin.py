import pytest
from django.urls import reverse

from tests.factories.registrations import CountryGroupFactory

pytestmark = pytest.mark.django_db


def test_fee_rule_inline_offers_only_own_congress_country_groups(
    client, organiser, congress, other_congress
):
    own = CountryGroupFactory(congress=congress, name="Low income (own)")
    CountryGroupFactory(congress=other_congress, name="Low income (other)")
    client.force_login(organiser)

    response = client.get(reverse("admin:registrations_registrationcategory_add"))

    formset = response.context["inline_admin_formsets"][0].formset
    assert list(formset.empty_form.fields["country_group"].queryset) == [own]
    assert "Low income (other)" not in response.content.decode()
