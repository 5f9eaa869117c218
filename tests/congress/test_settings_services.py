"""The writes behind every settings page: scoped to one congress, audited."""

import pytest

from congress.models import AuditEvent, Track
from congress.settings_services import (
    ForeignObject,
    parse_ids,
    reorder_settings_objects,
    save_settings_object,
    unique_code,
)
from registrations.models import FeeRule
from tests.factories.congress import CongressFactory, TrackFactory
from tests.factories.registrations import CountryGroupFactory, RegistrationCategoryFactory

pytestmark = pytest.mark.django_db


def test_fee_rule_pointing_at_another_congress_group_is_refused_by_the_service(congress):
    """Bug of issue 12, below the form: the service refuses it whatever door it comes from."""
    category = RegistrationCategoryFactory(congress=congress)
    foreign_group = CountryGroupFactory(congress=CongressFactory())
    rule = FeeRule(category=category, country_group=foreign_group, amount_minor=30000)

    with pytest.raises(ForeignObject):
        save_settings_object(instance=rule, congress=congress, actor=None, owner="category")

    assert list(FeeRule.objects.all()) == []


def test_object_of_another_congress_cannot_be_saved_into_this_one(congress):
    foreign = TrackFactory(congress=CongressFactory(), name="Media")
    foreign.name = "Renamed"

    with pytest.raises(ForeignObject):
        save_settings_object(instance=foreign, congress=congress, actor=None)

    foreign.refresh_from_db()
    assert foreign.name == "Media"


def test_many_to_many_of_another_congress_is_refused(congress):
    from cfp.models import CallForParticipation
    from tests.factories.cfp import CallFactory

    call = CallFactory(congress=congress)
    foreign_track = TrackFactory(congress=CongressFactory())

    with pytest.raises(ForeignObject):
        save_settings_object(
            instance=call, congress=congress, actor=None, many_to_many={"tracks": [foreign_track]}
        )

    assert list(CallForParticipation.objects.get(pk=call.pk).tracks.all()) == []


def test_save_writes_an_audit_row(congress, organiser):
    track = Track(slug="media", name="Media", theme=Track.Theme.MEDIA)

    save_settings_object(instance=track, congress=congress, actor=organiser)

    assert list(AuditEvent.objects.values_list("action", "actor", "target_id", "detail")) == [
        ("settings.saved", organiser.pk, str(track.pk), {"created": True})
    ]


@pytest.mark.parametrize(
    ("text", "code"),
    [("Drug policy", "drug-policy-2"), ("سياسة المخدرات", "track"), ("Médias", "medias")],
)
def test_unique_code_from_any_script(congress, text, code):
    TrackFactory(congress=congress, slug="drug-policy")
    TrackFactory(congress=CongressFactory(), slug="medias")

    result = unique_code(
        queryset=Track.objects.filter(congress=congress), field="slug", text=text, fallback="track"
    )

    assert result == code


def test_reorder_keeps_unlisted_objects_after_the_listed_ones(congress):
    first, second, third = TrackFactory.create_batch(3, congress=congress)

    order = reorder_settings_objects(
        queryset=Track.objects.filter(congress=congress),
        ordered_ids=[third.pk],
        congress=congress,
        actor=None,
    )

    assert order == [third.pk, first.pk, second.pk]


@pytest.mark.parametrize("values", [["1", "x"], ["1; DROP"], ["-1"]])
def test_parse_ids_refuses_anything_but_ids(values):
    with pytest.raises(ForeignObject):
        parse_ids(values)
