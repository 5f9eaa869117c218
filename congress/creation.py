"""Creating a congress, from scratch or as a new edition of a previous one."""

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.text import slugify

from common.forms import canonical_text
from congress.cloning import CloneContext, clone_congress_contents
from congress.models import Congress, CongressRole, Venue
from congress.services import grant_congress_role, record_audit
from members.models import Network


@dataclass(frozen=True)
class NewCongress:
    network: Network
    names: dict[str, str]  # {language: name}, one per working language
    languages: list[str]
    kind: str
    starts_on: datetime.date
    ends_on: datetime.date
    timezone: str
    currency: str
    city: str
    country: str
    venue_name: str = ""
    venue_address: str = ""


def _free_slug(name: str, starts_on: datetime.date) -> str:
    base = slugify(name)[:40].strip("-") or "congress"
    if str(starts_on.year) not in base:
        base = f"{base}-{starts_on.year}"
    slug, number = base, 1
    while Congress.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def create_congress(
    *,
    details: NewCongress,
    created_by: AbstractBaseUser,
    clone_from: Congress | None = None,
    offset_days: int | None = None,
    include_vouchers: bool = False,
) -> tuple[Congress, dict[str, int]]:
    """Create a draft congress of `details.network`; its creator becomes its first organiser.

    With `clone_from` (a congress of the same network), every registered copier
    (congress.cloning) copies that edition's tracks, rooms, categories, fee rules, country
    groups, questions, calls, badge templates and settings (vouchers only when
    `include_vouchers`), moving every date by `offset_days` (default: the distance between
    the two start dates). All in one transaction: a failure leaves nothing behind. Returns
    the congress and how many objects each copier copied. Audited ("congress.created").
    The caller checks that `created_by` administers the network.
    """
    languages = list(details.languages)
    name = canonical_text(details.names, languages)
    translations = {code: text for code, text in details.names.items() if code != languages[0]}
    with transaction.atomic():
        venue = None
        if details.venue_name:
            venue, _created = Venue.objects.get_or_create(
                name=details.venue_name,
                city=details.city,
                country=details.country,
                defaults={"address": details.venue_address},
            )
        congress = Congress(
            slug=_free_slug(name, details.starts_on),
            name=name,
            name_translations=translations,
            kind=details.kind,
            starts_on=details.starts_on,
            ends_on=details.ends_on,
            timezone=details.timezone,
            venue=venue,
            city=details.city,
            country=details.country,
            working_languages=languages,
            currency=details.currency,
            status=Congress.Status.DRAFT,
            network=details.network,
        )
        if clone_from is not None:
            _copy_settings(clone_from, congress)
        congress.full_clean()
        congress.save()
        grant_congress_role(
            congress=congress,
            user=created_by,
            role=CongressRole.Role.ORGANISER,
            granted_by=created_by,
        )
        counts: dict[str, int] = {}
        if clone_from is not None:
            if offset_days is None:
                offset_days = (details.starts_on - clone_from.starts_on).days
            context = CloneContext(
                source=clone_from,
                target=congress,
                offset=datetime.timedelta(days=offset_days),
                include_vouchers=include_vouchers,
            )
            counts = clone_congress_contents(context)
        record_audit(
            action="congress.created",
            congress=congress,
            actor=created_by,
            target=congress,
            detail={
                "cloned_from": clone_from.pk if clone_from else None,
                "offset_days": offset_days,
                "copied": counts,
            },
        )
    return congress, counts


def _copy_settings(source: Congress, congress: Congress) -> None:
    """The congress's own settings a new edition keeps."""
    congress.edition = source.edition + 1
    congress.description = source.description
    congress.description_translations = dict(source.description_translations)
    congress.organiser_id = source.organiser_id
    congress.requires_two_factor = source.requires_two_factor
    congress.retention_days = source.retention_days
    congress.passport_purge_days = source.passport_purge_days
