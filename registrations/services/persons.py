"""The person behind a registration: found by e-mail address or created, one registering
transaction at a time per address.

`Person.email` is not unique, and cannot be made so: a call for participation records each
submitter and co-author as a person of their own (cfp.services.submissions), people without
an address share the empty one, and an erased person keeps their row. Registrations match a
person by address, case-insensitively (`queries.person_by_email`, the oldest first). Two
registrations of one new address at the same instant would both find nobody and create two
people; the capacity lock once prevented that for one congress (not across congresses), but
it is no longer held here (docs/registrations.md, "How registrations are serialised").
Instead each registering transaction takes a PostgreSQL advisory lock keyed by the address
before it looks the person up, so the second waits for the first to commit and then finds
the person (and its registration: `AlreadyRegistered`).
"""

import hashlib

from django.db import connection

from common.prepared import insert
from congress.models import Congress
from members.models import Organisation, Person
from registrations import queries
from registrations.exceptions import AlreadyRegistered
from registrations.models import Registration

S = Registration.Status
# The first key of pg_advisory_xact_lock(int, int): this lock's namespace, so that another
# use of advisory locks in the database never waits on an e-mail address.
EMAIL_LOCK_NAMESPACE = 0x52454745  # "REGE"


def email_lock_key(email: str) -> int:
    """A signed 32-bit key for `email`, the same for every spelling that `iexact` matches
    (PostgreSQL compares UPPER() of both). Two addresses sharing a key only wait for each
    other; the address itself is never sent in the lock statement."""
    digest = hashlib.sha256(email.strip().upper().encode()).digest()
    return int.from_bytes(digest[:4], "big", signed=True)


def lock_email(email: str) -> None:
    """Serialise, until the current transaction ends, every transaction that finds or
    creates the person of `email`. Re-entrant within one transaction. Call inside
    `transaction.atomic()`, before any row lock (the one lock order: e-mail addresses in
    sorted order, then categories, then invitations and vouchers). On SQLite, which runs
    one writing transaction at a time, there is nothing to do."""
    if connection.vendor != "postgresql" or not email.strip():
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s, %s)", [EMAIL_LOCK_NAMESPACE, email_lock_key(email)]
        )


def lock_emails(emails: list[str]) -> None:
    """`lock_email` for several addresses (a delegation), in one order so that two
    transactions locking overlapping sets never deadlock."""
    for key_email in sorted({email.strip().upper() for email in emails if email.strip()}):
        lock_email(key_email)


def person_for_registration(*, details, congress: Congress) -> Person:
    """Find the person by e-mail (case-insensitive) or create them, under the e-mail lock
    (taken here if the caller has not). Raises AlreadyRegistered when they hold an active
    registration for `congress`. `details` is a services.registration.RegistrantDetails."""
    lock_email(details.email)
    organisation = details.organisation
    if organisation is None and details.organisation_name.strip():
        organisation, _created = Organisation.objects.get_or_create(
            name=details.organisation_name.strip(), country=details.country or congress.country
        )
    person = queries.person_by_email(email=details.email)
    if person is None:
        return insert(
            Person(
                email=details.email.strip(),
                name=details.name.strip(),
                latin_name=details.latin_name.strip(),
                country=details.country,
                organisation=organisation,
                preferred_language=details.language,
            )
        )
    if (
        Registration.objects.filter(congress=congress, person=person)
        .exclude(status__in=[S.CANCELLED, S.REJECTED])
        .exists()
    ):
        raise AlreadyRegistered(congress=congress.pk)
    changed = []
    for attribute, value in (("organisation", organisation), ("country", details.country)):
        if value and not getattr(person, attribute):
            setattr(person, attribute, value)
            changed.append(attribute)
    if changed:
        person.save(update_fields=changed)
    return person
