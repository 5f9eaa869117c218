"""Who a mailing goes to: filters an organiser combines, resolved to one row per person.

Filters of different kinds combine with AND, the values of one filter with OR. The people
are the congress's registrants (active registrations, or those of the chosen statuses), plus
its speakers and reviewers when those are chosen; `speakers` or `reviewers` alone (no
registration filter) mean only them. Erased people, people without an address and, for a
mailing not about the registration, people who unsubscribed are left out (and counted).
"""

from dataclasses import asdict, dataclass, field

from django.db.models import F, Q

from common.regions import region_of
from congress.models import Congress, CongressRole
from members.models import Person
from registrations.models import Registration, RegistrationGroup, VisaLetterRequest
from sessions.models import SessionSignup, SessionSpeaker

PAYMENT_STATES = ("unpaid", "paid", "nothing_due")
VISA_STATES = ("none", *VisaLetterRequest.Status.values)
SIGNUP_STATES = (SessionSignup.State.SEATED, SessionSignup.State.WAITLISTED)
ACTIVE_STATUSES = [
    status
    for status in Registration.Status.values
    if status not in (Registration.Status.CANCELLED, Registration.Status.REJECTED)
]


@dataclass
class Audience:
    categories: list[int] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    payment: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    organisations: list[int] = field(default_factory=list)
    delegation_heads: bool = False
    sessions: list[int] = field(default_factory=list)
    session_states: list[str] = field(default_factory=list)
    visa: list[str] = field(default_factory=list)
    speakers: bool = False
    reviewers: bool = False

    @classmethod
    def from_dict(cls, data: dict) -> "Audience":
        known = {name: data[name] for name in cls.__dataclass_fields__ if name in data}
        return cls(**known)

    def as_dict(self) -> dict:
        return {name: value for name, value in asdict(self).items() if value}

    @property
    def filters_registrations(self) -> bool:
        return bool(
            self.categories
            or self.statuses
            or self.payment
            or self.delegation_heads
            or self.sessions
            or self.session_states
            or self.visa
        )


@dataclass(frozen=True)
class AudienceMember:
    person_id: int
    registration_id: int | None
    language: str
    is_protected: bool
    country: str
    organisation_id: int | None


@dataclass(frozen=True)
class ResolvedAudience:
    members: list[AudienceMember]
    unsubscribed: int  # left out: they asked for no more mailings
    protected: int  # counted among members, never shown


def _payment_q(states: list[str]) -> Q:
    query = Q(pk__in=[])
    if "unpaid" in states:
        query |= Q(amount_due_minor__gt=0, amount_paid_minor__lt=F("amount_due_minor"))
    if "paid" in states:
        query |= Q(amount_due_minor__gt=0, amount_paid_minor__gte=F("amount_due_minor"))
    if "nothing_due" in states:
        query |= Q(amount_due_minor=0)
    return query


def _registrations(congress: Congress, audience: Audience):
    registrations = Registration.objects.filter(congress=congress).filter(
        status__in=audience.statuses or ACTIVE_STATUSES
    )
    if audience.categories:
        registrations = registrations.filter(category_id__in=audience.categories)
    if audience.payment:
        registrations = registrations.filter(_payment_q(audience.payment))
    if audience.delegation_heads:
        heads = RegistrationGroup.objects.filter(congress=congress).values("contact_id")
        registrations = registrations.filter(person_id__in=heads)
    if audience.sessions or audience.session_states:
        signups = SessionSignup.objects.filter(
            session__congress=congress, state__in=audience.session_states or SIGNUP_STATES
        )
        if audience.sessions:
            signups = signups.filter(session_id__in=audience.sessions)
        registrations = registrations.filter(pk__in=signups.values("registration_id"))
    if audience.visa:
        visa = Q(pk__in=[])
        if "none" in audience.visa:
            visa |= Q(visa_request__isnull=True)
        decided = [state for state in audience.visa if state != "none"]
        if decided:
            visa |= Q(visa_request__status__in=decided)
        registrations = registrations.filter(visa)
    return registrations.values_list(
        "person_id",
        "pk",
        "language",
        "is_protected",
        "person__country",
        "person__organisation_id",
        "person__email",
        "person__erased_at",
    )


def _speaker_ids(congress: Congress):
    return SessionSpeaker.objects.filter(session__congress=congress).values("person_id")


def _reviewer_ids(congress: Congress):
    return Person.objects.filter(
        Q(
            user__congress_roles__congress=congress,
            user__congress_roles__role=CongressRole.Role.REVIEWER,
        )
        | Q(user__review_assignments__submission__congress=congress)
    ).values("pk")


def resolve_audience(
    *, congress: Congress, audience: Audience, respect_unsubscribes: bool = True
) -> ResolvedAudience:
    """The people `audience` reaches in `congress`, once each, sorted by person id.

    Runs a fixed number of queries whatever the audience's size. Protected participants are
    members like everyone else (each gets their own message) and are counted in `protected`.
    """
    from messaging.models import Unsubscription

    rows: dict[int, AudienceMember] = {}
    only_roles = (audience.speakers or audience.reviewers) and not audience.filters_registrations
    if not only_roles:
        for (
            person_id,
            registration_id,
            language,
            protected,
            country,
            org,
            email,
            erased,
        ) in _registrations(congress, audience):
            if email and erased is None:
                rows[person_id] = AudienceMember(
                    person_id, registration_id, language, protected, country, org
                )
    extra = []
    if audience.speakers:
        extra.append(_speaker_ids(congress))
    if audience.reviewers:
        extra.append(_reviewer_ids(congress))
    if extra:
        wanted = Q(pk__in=[])
        for subquery in extra:
            wanted |= Q(pk__in=subquery)
        # A speaker who also registered keeps the registration (language, placeholders).
        registered = (
            dict(
                Registration.objects.filter(
                    congress=congress, status__in=ACTIVE_STATUSES
                ).values_list("person_id", "pk")
            )
            if only_roles
            else {}
        )
        for person_id, language, country, org, email, erased in Person.objects.filter(
            wanted
        ).values_list(
            "pk", "preferred_language", "country", "organisation_id", "email", "erased_at"
        ):
            if person_id in rows or not email or erased is not None:
                continue
            rows[person_id] = AudienceMember(
                person_id, registered.get(person_id), language, False, country, org
            )
    members = [row for row in rows.values() if _matches_person_filters(row, audience)]
    unsubscribed = 0
    if respect_unsubscribes:
        opted_out = set(
            Unsubscription.objects.filter(congress=congress).values_list("person_id", flat=True)
        )
        kept = [member for member in members if member.person_id not in opted_out]
        unsubscribed = len(members) - len(kept)
        members = kept
    members.sort(key=lambda member: member.person_id)
    return ResolvedAudience(
        members=members,
        unsubscribed=unsubscribed,
        protected=sum(1 for member in members if member.is_protected),
    )


def _matches_person_filters(member: AudienceMember, audience: Audience) -> bool:
    if audience.countries and member.country not in audience.countries:
        return False
    if audience.regions and region_of(member.country) not in audience.regions:
        return False
    if audience.languages and member.language not in audience.languages:
        return False
    return not (audience.organisations and member.organisation_id not in audience.organisations)
