import pytest

from congress.models import CongressRole
from members.models import Person
from messaging.audience import Audience, resolve_audience
from registrations.models import Registration, RegistrationGroup, VisaLetterRequest
from sessions.models import SessionSignup
from tests.factories.cfp import ReviewAssignmentFactory, SubmissionFactory
from tests.factories.congress import CongressFactory, CongressRoleFactory
from tests.factories.members import OrganisationFactory, PersonFactory, UserFactory
from tests.factories.registrations import RegistrationCategoryFactory, RegistrationFactory
from tests.factories.sessions import SessionFactory, SessionSignupFactory, SessionSpeakerFactory

pytestmark = pytest.mark.django_db
S = Registration.Status


def _emails(congress, audience: Audience) -> list[str]:
    members = resolve_audience(congress=congress, audience=audience).members
    people = dict(Person.objects.values_list("pk", "email"))
    return sorted(people[member.person_id] for member in members)


def _reg(congress, email, **kwargs):
    person_fields = {key[8:]: kwargs.pop(key) for key in list(kwargs) if key.startswith("person__")}
    return RegistrationFactory(
        congress=congress, person=PersonFactory(email=email, **person_fields), **kwargs
    )


@pytest.fixture
def congress():
    congress = CongressFactory()
    # A registration of another congress matches every filter below: it must never appear.
    RegistrationFactory(person__email="elsewhere@example.org", amount_due_minor=100)
    return congress


def test_audience_by_category(congress):
    delegates = RegistrationCategoryFactory(congress=congress)
    _reg(congress, "in@example.org", category=delegates)
    _reg(congress, "out@example.org")

    assert _emails(congress, Audience(categories=[delegates.pk])) == ["in@example.org"]


def test_audience_default_is_every_active_registration(congress):
    _reg(congress, "confirmed@example.org")
    _reg(congress, "waitlisted@example.org", status=S.WAITLISTED)
    _reg(congress, "cancelled@example.org", status=S.CANCELLED)
    _reg(congress, "rejected@example.org", status=S.REJECTED)

    assert _emails(congress, Audience()) == ["confirmed@example.org", "waitlisted@example.org"]


def test_audience_by_status(congress):
    _reg(congress, "confirmed@example.org")
    _reg(congress, "waitlisted@example.org", status=S.WAITLISTED)

    assert _emails(congress, Audience(statuses=[S.WAITLISTED])) == ["waitlisted@example.org"]


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ("unpaid", ["partly@example.org", "unpaid@example.org"]),
        ("paid", ["paid@example.org"]),
        ("nothing_due", ["free@example.org"]),
    ],
)
def test_audience_by_payment_state(congress, state, expected):
    _reg(congress, "unpaid@example.org", amount_due_minor=1000)
    _reg(congress, "partly@example.org", amount_due_minor=1000, amount_paid_minor=500)
    _reg(congress, "paid@example.org", amount_due_minor=1000, amount_paid_minor=1000)
    _reg(congress, "free@example.org", amount_due_minor=0)

    assert _emails(congress, Audience(payment=[state])) == expected


def test_audience_by_country_and_by_region(congress):
    _reg(congress, "ma@example.org", person__country="MA")
    _reg(congress, "tn@example.org", person__country="TN")
    _reg(congress, "fr@example.org", person__country="FR")

    assert _emails(congress, Audience(countries=["TN"])) == ["tn@example.org"]
    assert _emails(congress, Audience(regions=["002"])) == ["ma@example.org", "tn@example.org"]


def test_audience_by_language_uses_the_registration_language(congress):
    _reg(congress, "ar@example.org", language="ar", person__preferred_language="en")
    _reg(congress, "en@example.org", language="en", person__preferred_language="ar")

    assert _emails(congress, Audience(languages=["ar"])) == ["ar@example.org"]


def test_audience_by_organisation_and_delegation_heads(congress):
    organisation = OrganisationFactory()
    head = _reg(congress, "head@example.org", person__organisation=organisation)
    _reg(congress, "delegate@example.org", person__organisation=organisation)
    _reg(congress, "alone@example.org")
    RegistrationGroup.objects.create(
        congress=congress, organisation=organisation, contact=head.person, payment_reference="G-1"
    )

    assert _emails(congress, Audience(organisations=[organisation.pk])) == [
        "delegate@example.org",
        "head@example.org",
    ]
    assert _emails(congress, Audience(delegation_heads=True)) == ["head@example.org"]


def test_audience_by_session_sign_up_seated_or_waitlisted(congress):
    session = SessionFactory(congress=congress)
    seated = _reg(congress, "seated@example.org")
    waiting = _reg(congress, "waiting@example.org")
    SessionSignupFactory(session=session, registration=seated)
    SessionSignupFactory(
        session=session, registration=waiting, state=SessionSignup.State.WAITLISTED
    )
    _reg(congress, "none@example.org")

    assert _emails(congress, Audience(sessions=[session.pk])) == [
        "seated@example.org",
        "waiting@example.org",
    ]
    assert _emails(congress, Audience(sessions=[session.pk], session_states=["waitlisted"])) == [
        "waiting@example.org"
    ]


def test_audience_by_visa_state(congress):
    requested = _reg(congress, "requested@example.org")
    VisaLetterRequest.objects.create(registration=requested, reference="V-1")
    _reg(congress, "novisa@example.org")

    assert _emails(congress, Audience(visa=["requested"])) == ["requested@example.org"]
    assert _emails(congress, Audience(visa=["none"])) == ["novisa@example.org"]


def test_audience_speakers_and_reviewers_without_registration(congress):
    SessionSpeakerFactory(session=SessionFactory(congress=congress), person__email="sp@example.org")
    SessionSpeakerFactory(person__email="other-speaker@example.org")
    reviewer = UserFactory()
    PersonFactory(user=reviewer, email="rev@example.org")
    CongressRoleFactory(congress=congress, user=reviewer, role=CongressRole.Role.REVIEWER)
    assigned = UserFactory()
    PersonFactory(user=assigned, email="assigned@example.org")
    ReviewAssignmentFactory(
        submission=SubmissionFactory(call__congress=congress), reviewer=assigned
    )
    _reg(congress, "participant@example.org")

    assert _emails(congress, Audience(speakers=True)) == ["sp@example.org"]
    assert _emails(congress, Audience(reviewers=True)) == [
        "assigned@example.org",
        "rev@example.org",
    ]


def test_audience_counts_protected_people_and_leaves_out_erased_and_unsubscribed(congress):
    from messaging.models import Unsubscription

    _reg(congress, "protected@example.org", is_protected=True)
    erased = _reg(congress, "erased@example.org")
    Person.objects.filter(pk=erased.person_id).update(email="", erased_at="2027-01-01T00:00Z")
    unsubscribed = _reg(congress, "unsubscribed@example.org")
    Unsubscription.objects.create(person=unsubscribed.person, congress=congress)

    resolved = resolve_audience(congress=congress, audience=Audience())
    everyone = resolve_audience(congress=congress, audience=Audience(), respect_unsubscribes=False)

    assert (len(resolved.members), resolved.protected, resolved.unsubscribed) == (1, 1, 1)
    assert len(everyone.members) == 2


def test_resolve_audience_query_count_is_flat(congress, django_assert_num_queries):
    for index in range(5):
        _reg(congress, f"p{index}@example.org", amount_due_minor=100)

    with django_assert_num_queries(2):
        resolved = resolve_audience(congress=congress, audience=Audience(payment=["unpaid"]))

    assert len(resolved.members) == 5
