"""Creating a congress (network administrators) from scratch or as a new edition."""

import datetime

import pytest

from badges.models import BadgeTemplate
from cfp.models import CallForParticipation
from cfp.models import Question as CallQuestion
from congress.cloning import registered_cloners
from congress.creation import NewCongress, create_congress
from congress.models import AuditEvent, Congress, CongressRole, Track
from registrations.models import (
    CountryGroup,
    FeeRule,
    Question,
    RegistrationCategory,
    RegistrationSettings,
    Voucher,
)
from sessions.models import Room
from tests.factories.badges import BadgeTemplateFactory
from tests.factories.cfp import CallFactory
from tests.factories.cfp import QuestionFactory as CallQuestionFactory
from tests.factories.congress import CongressFactory, CongressRoleFactory, TrackFactory
from tests.factories.members import NetworkAdministratorFactory, NetworkFactory, UserFactory
from tests.factories.registrations import (
    CountryGroupFactory,
    FeeRuleFactory,
    QuestionFactory,
    RegistrationCategoryFactory,
    VoucherFactory,
)
from tests.factories.sessions import RoomFactory

pytestmark = pytest.mark.django_db
UTC = datetime.UTC


@pytest.fixture
def administrator():
    return NetworkAdministratorFactory(network__slug="world-network")


def form_data(**changes) -> dict:
    data = {
        "languages": ["en", "fr", "ar"],
        "names_en": "World Congress 2029",
        "names_fr": "Congrès mondial 2029",
        "names_ar": "المؤتمر العالمي 2029",
        "names_es": "",
        "kind": "world",
        "starts_on": "2029-06-12",
        "ends_on": "2029-06-14",
        "timezone": "Europe/Zurich",
        "currency": "CHF",
        "venue_name": "CICG",
        "venue_address": "Rue de Varembé 17",
        "city": "Geneva",
        "country": "CH",
        "clone_from": "",
        "offset_days": "",
    }
    data.update(changes)
    return data


def create_url(administrator) -> str:
    return f"/en/networks/{administrator.network.slug}/congresses/new/"


def test_network_administrator_creates_a_draft_congress_and_becomes_its_organiser(
    client, administrator
):
    client.force_login(administrator.user)

    response = client.post(create_url(administrator), form_data())

    congress = Congress.objects.get()
    assert response.url == f"/en/congresses/{congress.slug}/manage/"
    assert (
        congress.slug,
        congress.name,
        congress.name_translations,
        congress.working_languages,
        congress.status,
        congress.network,
        congress.timezone,
        congress.currency,
        str(congress.venue),
        congress.country.code,
    ) == (
        "world-congress-2029",
        "World Congress 2029",
        {"fr": "Congrès mondial 2029", "ar": "المؤتمر العالمي 2029"},
        ["en", "fr", "ar"],
        Congress.Status.DRAFT,
        administrator.network,
        "Europe/Zurich",
        "CHF",
        "CICG, Geneva",
        "CH",
    )
    assert list(CongressRole.objects.filter(congress=congress).values_list("user", "role")) == [
        (administrator.user.pk, CongressRole.Role.ORGANISER)
    ]
    assert AuditEvent.objects.get(action="congress.created").actor == administrator.user


def test_a_name_is_required_in_each_chosen_language_and_the_form_keeps_what_was_typed(
    client, administrator
):
    client.force_login(administrator.user)

    response = client.post(create_url(administrator), form_data(names_ar="", ends_on="2029-06-01"))

    assert response.context["form"].errors == {
        "names": ["Enter the name in Arabic."],
        "ends_on": ["The last day cannot be before the first day."],
    }
    assert 'value="Congrès mondial 2029"' in response.content.decode()
    assert Congress.objects.count() == 0


def test_the_wizard_offers_lists_not_codes(client, administrator):
    client.force_login(administrator.user)

    form = client.get(create_url(administrator)).context["form"]

    assert dict(form.fields["currency"].choices)["CHF"] == "Swiss Franc (CHF)"
    assert dict(form.fields["languages"].choices) == {
        "en": "English",
        "fr": "French",
        "ar": "Arabic",
        "es": "Spanish",
    }
    assert ("Europe/Zurich", "Zurich") in dict(form.fields["timezone"].choices)["Europe"]


@pytest.mark.parametrize("who", ["organiser", "other_network_administrator", "anybody"])
def test_only_the_network_administrators_create_congresses(client, administrator, who):
    user = {
        "organiser": lambda: CongressRoleFactory(congress__network=administrator.network).user,
        "other_network_administrator": lambda: NetworkAdministratorFactory().user,
        "anybody": UserFactory,
    }[who]()
    client.force_login(user)

    response = client.post(create_url(administrator), form_data())

    assert response.status_code == 404
    assert Congress.objects.filter(name="World Congress 2029").exists() is False


def test_a_draft_is_visible_to_its_staff_only(client, administrator):
    client.force_login(administrator.user)
    client.post(create_url(administrator), form_data())
    congress = Congress.objects.get()
    stranger = UserFactory()

    as_staff = client.get(f"/en/congresses/{congress.slug}/").status_code
    client.force_login(stranger)
    as_stranger = client.get(f"/en/congresses/{congress.slug}/").status_code
    client.logout()
    as_anonymous = client.get(f"/en/congresses/{congress.slug}/").status_code
    public_api = client.get("/api/v1/congresses/").json()

    assert (as_staff, as_stranger, as_anonymous) == (200, 404, 404)
    assert [item["slug"] for item in public_api["results"]] == []


# Cloning ---------------------------------------------------------------------------------


@pytest.fixture
def previous_edition():
    network = NetworkFactory()
    congress = CongressFactory(
        network=network,
        starts_on=datetime.date(2027, 6, 15),
        ends_on=datetime.date(2027, 6, 17),
        edition=9,
        retention_days=200,
    )
    track = TrackFactory(congress=congress, slug="drugs", name="Drug policy")
    RoomFactory(congress=congress, name="Hall A", capacity=800)
    category = RegistrationCategoryFactory(
        congress=congress,
        code="delegate",
        opens_at=datetime.datetime(2027, 1, 10, 9, tzinfo=UTC),
        closes_at=datetime.datetime(2027, 6, 1, 22, tzinfo=UTC),
    )
    group = CountryGroupFactory(congress=congress, code="low", countries=["MA", "TN"])
    FeeRuleFactory(
        category=category,
        country_group=group,
        amount_minor=15000,
        early_bird_amount_minor=10000,
        early_bird_until=datetime.datetime(2027, 3, 1, 22, tzinfo=UTC),
    )
    QuestionFactory(congress=congress, code="diet").categories.set([category])
    RegistrationSettings.objects.create(
        congress=congress,
        full_refund_until=datetime.datetime(2027, 5, 1, tzinfo=UTC),
        bank_iban="CH9300762011623852957",
    )
    VoucherFactory(
        congress=congress,
        code="SPEAKER",
        times_used=3,
        valid_until=datetime.datetime(2027, 6, 1, tzinfo=UTC),
    )
    call = CallFactory(
        congress=congress,
        slug="workshops",
        opens_at=datetime.datetime(2026, 9, 1, tzinfo=UTC),
        closes_at=datetime.datetime(2026, 11, 30, tzinfo=UTC),
    )
    call.tracks.set([track])
    CallQuestionFactory(call=call, label="Your experience")
    BadgeTemplateFactory(congress=congress, category=category, name="Delegates", colour="#8c2f39")
    return congress


def clone(source, *, offset_days=None, include_vouchers=False):
    details = NewCongress(
        network=source.network,
        names={"en": "10th World Congress"},
        languages=["en"],
        kind="world",
        starts_on=datetime.date(2030, 6, 18),
        ends_on=datetime.date(2030, 6, 20),
        timezone="Europe/Paris",
        currency="EUR",
        city="Paris",
        country="FR",
    )
    return create_congress(
        details=details,
        created_by=UserFactory(),
        clone_from=source,
        offset_days=offset_days,
        include_vouchers=include_vouchers,
    )


def test_every_app_registers_its_cloner():
    assert [cloner.key for cloner in registered_cloners()] == [
        "tracks",
        "programme",
        "registrations",
        "cfp",
        "badges",
        "doors",
    ]


def test_clone_copies_the_setup_and_moves_dates_by_the_chosen_offset(previous_edition):
    congress, counts = clone(previous_edition, offset_days=7)

    week = datetime.timedelta(days=7)
    category = RegistrationCategory.objects.get(congress=congress)
    call = CallForParticipation.objects.get(congress=congress)
    assert counts == {
        "tracks": 1,
        "programme": 1,
        "registrations": 5,
        "cfp": 2,
        "badges": 1,
        "doors": 0,
    }
    assert (congress.edition, congress.retention_days) == (10, 200)
    assert list(Track.objects.filter(congress=congress).values_list("slug", flat=True)) == ["drugs"]
    assert list(Room.objects.filter(congress=congress).values_list("name", "capacity")) == [
        ("Hall A", 800)
    ]
    assert (category.code, category.opens_at, category.closes_at) == (
        "delegate",
        datetime.datetime(2027, 1, 10, 9, tzinfo=UTC) + week,
        datetime.datetime(2027, 6, 1, 22, tzinfo=UTC) + week,
    )
    rule = FeeRule.objects.get(category__congress=congress)
    assert (rule.category, rule.country_group, rule.amount_minor, rule.early_bird_until) == (
        category,
        CountryGroup.objects.get(congress=congress, code="low"),
        15000,
        datetime.datetime(2027, 3, 8, 22, tzinfo=UTC),
    )
    assert list(Question.objects.get(congress=congress).categories.all()) == [category]
    settings = RegistrationSettings.objects.get(congress=congress)
    assert (settings.full_refund_until, settings.bank_iban) == (
        datetime.datetime(2027, 5, 8, tzinfo=UTC),
        "CH9300762011623852957",
    )
    assert (call.slug, call.opens_at, list(call.tracks.all())) == (
        "workshops",
        datetime.datetime(2026, 9, 8, tzinfo=UTC),
        list(Track.objects.filter(congress=congress)),
    )
    assert list(CallQuestion.objects.filter(call=call).values_list("label", flat=True)) == [
        "Your experience"
    ]
    template = BadgeTemplate.objects.get(congress=congress)
    assert (template.name, template.category, template.colour) == ("Delegates", category, "#8c2f39")
    assert Voucher.objects.filter(congress=congress).count() == 0


def test_clone_moves_dates_by_the_distance_between_editions_by_default(previous_edition):
    congress, _counts = clone(previous_edition)

    category = RegistrationCategory.objects.get(congress=congress)
    assert category.opens_at == datetime.datetime(2030, 1, 13, 9, tzinfo=UTC)  # + 1099 days


def test_clone_copies_vouchers_unused_when_asked(previous_edition):
    congress, _counts = clone(previous_edition, offset_days=0, include_vouchers=True)

    assert list(Voucher.objects.filter(congress=congress).values_list("code", "times_used")) == [
        ("SPEAKER", 0)
    ]


def test_clone_leaves_the_previous_edition_unchanged(previous_edition):
    clone(previous_edition, offset_days=7)

    category = RegistrationCategory.objects.get(congress=previous_edition)
    assert category.opens_at == datetime.datetime(2027, 1, 10, 9, tzinfo=UTC)
    assert Room.objects.filter(congress=previous_edition).count() == 1


def test_wizard_clones_an_edition_of_the_network(client, previous_edition):
    administrator = NetworkAdministratorFactory(network=previous_edition.network)
    client.force_login(administrator.user)

    response = client.post(
        create_url(administrator),
        form_data(clone_from=str(previous_edition.pk), offset_days="1099"),
        follow=True,
    )

    congress = Congress.objects.get(name="World Congress 2029")
    assert [str(m) for m in response.context["messages"]] == [
        "The new edition was created as a draft with 10 copied items."
    ]
    assert RegistrationCategory.objects.filter(congress=congress).count() == 1


def test_wizard_refuses_to_clone_a_congress_of_another_network(client, administrator):
    foreign = CongressFactory(network=NetworkFactory())
    client.force_login(administrator.user)

    response = client.post(create_url(administrator), form_data(clone_from=str(foreign.pk)))

    assert list(response.context["form"].errors) == ["clone_from"]
    assert Congress.objects.count() == 1


def test_clone_copies_the_entrance_and_room_doors_with_their_settings(previous_edition):
    from badges.models import Checkpoint
    from badges.services.checkpoints import add_checkpoint

    hall = Room.objects.get(congress=previous_edition)
    door = add_checkpoint(congress=previous_edition, kind="room", room=hall)
    door.offline_list_shows_names = True  # names are off by default
    door.save()
    add_checkpoint(congress=previous_edition, kind="entrance")

    congress, counts = clone(previous_edition)

    assert counts["doors"] == 2
    assert sorted(
        Checkpoint.objects.filter(congress=congress).values_list(
            "kind", "name", "room__name", "room__congress", "offline_list_shows_names"
        )
    ) == [
        ("entrance", "Entrance", None, None, False),
        ("room", "Hall A", "Hall A", congress.pk, True),
    ]
