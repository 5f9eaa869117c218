"""Badge PDFs for one registration, a selection or a whole congress, and the offline list."""

from __future__ import annotations

import hashlib
import secrets
import tempfile
from collections.abc import Iterable
from typing import BinaryIO

from django.utils import timezone

from badges.exceptions import NoActiveCredential, OnlineParticipant
from badges.models import BadgeTemplate, CheckIn, Checkpoint, Credential
from badges.queries import active_credentials, badge_rows, congress_day
from badges.rendering import DEFAULT_SHEET_MARGIN_MM, BadgeStyle, render_badges
from common.i18n import localized
from congress.models import Congress
from registrations.models import Registration, RegistrationCategory
from sessions.models import SessionSignup

# Spool the PDF in memory up to this size, then on disk: bulk rendering stays bounded.
SPOOL_BYTES = 8 * 1024 * 1024


def badge_styles(*, congress: Congress, size: str | None = None):
    """(size, style_for(category_id)) from the congress's templates.

    A category's own template wins over the congress default; without any template the
    badge is A6 in the category colour. `size` overrides the page size.
    """
    templates = {
        template.category_id: template
        for template in BadgeTemplate.objects.filter(congress=congress)
    }
    default = templates.get(None)
    congress_name = localized(congress.name, congress.name_translations)
    styles: dict[int, BadgeStyle] = {}

    def style_for(category_id: int) -> BadgeStyle:
        if category_id not in styles:
            template = templates.get(category_id, default)
            styles[category_id] = BadgeStyle(
                congress_name=congress_name,
                colour=(template.colour if template else "") or "#1f6f8b",
                text_colour=template.text_colour if template else "#111111",
                fields=tuple(template.fields or BadgeTemplate.DEFAULT_FIELDS)
                if template
                else tuple(BadgeTemplate.DEFAULT_FIELDS),
                logo_path=template.logo.path if template and template.logo else "",
            )
        return styles[category_id]

    chosen = size or (default.size if default else BadgeTemplate.Size.A6)
    return chosen, style_for


def sheet_margin_for(*, congress: Congress) -> int:
    """The printable margin (mm) of A4 sheets: the congress's default badge template's."""
    margin = (
        BadgeTemplate.objects.filter(congress=congress, category__isnull=True)
        .values_list("sheet_margin_mm", flat=True)
        .first()
    )
    return DEFAULT_SHEET_MARGIN_MM if margin is None else margin


def render_congress_badges(
    *,
    congress: Congress,
    out: BinaryIO,
    sort: str = "surname",
    size: str | None = None,
    sheet_margin_mm: int | None = None,
    registration_ids: Iterable[int] | None = None,
    category_ids: Iterable[int] | None = None,
    organisation_ids: Iterable[int] | None = None,
    countries: Iterable[str] | None = None,
) -> int:
    """Write the badges of a congress (all, or a filtered selection) as one PDF to `out`.

    Sorted for distribution by surname, organisation or country. Only active credentials
    of confirmed registrations are printed; protected participants show their badge name
    and no hidden organisation. A4 sheets keep `sheet_margin_mm` (default: the badge
    template's printable margin) blank on every side. Returns the number of badges.
    """
    chosen_size, style_for = badge_styles(congress=congress, size=size)
    rows = badge_rows(
        congress=congress,
        sort=sort,
        registration_ids=registration_ids,
        category_ids=category_ids,
        organisation_ids=organisation_ids,
        countries=countries,
    )
    if sheet_margin_mm is None:
        sheet_margin_mm = sheet_margin_for(congress=congress)
    return render_badges(
        badges=rows,
        style_for=style_for,
        size=chosen_size,
        out=out,
        title=congress.name,
        sheet_margin_mm=sheet_margin_mm,
    )


def render_registration_badge(
    *, registration: Registration, size: str | None = None, is_reprint: bool = False
):
    """A spooled file with the registration's badge PDF (rewound).

    `is_reprint`: staff printing the badge (desk mode, reprint), refused for a registrant
    of an online category, whose own badge (QR on their private page) still renders.
    Raises NoActiveCredential when the registration has no active badge, OnlineParticipant
    when a reprint is asked for an online registrant.
    """
    if is_reprint and registration.category.is_online:
        raise OnlineParticipant()
    if (
        not active_credentials(congress=registration.congress)
        .filter(registration=registration)
        .exists()
    ):
        raise NoActiveCredential()
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
    render_congress_badges(
        congress=registration.congress,
        out=out,
        size=size,
        registration_ids=[registration.pk],
    )
    out.seek(0)
    return out


def spooled_congress_badges(*, congress: Congress, **filters):
    """`render_congress_badges` into a spooled temporary file, rewound; (file, count)."""
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
    count = render_congress_badges(congress=congress, out=out, **filters)
    out.seek(0)
    return out, count


def hash_token_for_offline(*, salt: str, token: str) -> str:
    """What the scanning page compares offline: SHA-256 of salt + token, hex."""
    return hashlib.sha256(f"{salt}{token}".encode()).hexdigest()


def _door_name(name: str, badge_display_name: str, is_protected: bool) -> str:
    """The name door staff see (as `registration_for_staff` gives it online)."""
    return badge_display_name if is_protected and badge_display_name else name


def offline_token_list(*, congress: Congress, checkpoint: Checkpoint) -> dict:
    """Hashed tokens a scanning device may validate offline at one checkpoint.

    Never raw tokens: each entry is the salted hash of a token, its state
    (`active` or `revoked`: the revocation list travels with it), whether it is admitted
    at this checkpoint (never for an online category's registrant), whether it is inside
    there now (`i`: checked in today and not out, so a device that goes offline says
    "already checked in") and its category name. Names
    only where the organiser allows it (`checkpoint.offline_list_shows_names`): then `n` is
    the name door staff see online (a protected participant's badge name). A fresh random
    salt per list means hashes cannot be matched across syncs.
    """
    salt = secrets.token_hex(16)
    allowed: set[int] | None = None
    if not checkpoint.is_active:
        allowed = set()  # a closed door admits nobody
    elif checkpoint.kind == Checkpoint.Kind.SESSION and not checkpoint.is_open_to_all:
        allowed = set(
            SessionSignup.objects.filter(
                session_id=checkpoint.session_id, state=SessionSignup.State.SEATED
            ).values_list("registration_id", flat=True)
        )
    categories, online = {}, set()
    for pk, name, is_online in RegistrationCategory.objects.filter(congress=congress).values_list(
        "pk", "name", "is_online"
    ):
        categories[pk] = name
        if is_online:
            online.add(pk)  # registered to take part online: not admitted on site
    today = congress_day(congress=congress, moment=timezone.now())
    inside = set(
        CheckIn.objects.filter(
            checkpoint=checkpoint, day=today, checked_out_at__isnull=True
        ).values_list("credential_id", flat=True)
    )
    rows = Credential.objects.filter(registration__congress=congress).values_list(
        "pk",
        "token",
        "revoked_at",
        "registration_id",
        "registration__status",
        "registration__category_id",
    )
    with_names = checkpoint.offline_list_shows_names
    if with_names:
        rows = rows.values_list(
            "pk",
            "token",
            "revoked_at",
            "registration_id",
            "registration__status",
            "registration__category_id",
            "registration__person__name",
            "registration__badge_display_name",
            "registration__is_protected",
        )
    entries = []
    for pk, token, revoked_at, registration_id, status, category_id, *names in rows.iterator(
        chunk_size=2000
    ):
        confirmed = status == Registration.Status.CONFIRMED
        entry = {
            "h": hash_token_for_offline(salt=salt, token=token),
            "s": "revoked" if revoked_at else ("active" if confirmed else "inactive"),
            "a": confirmed
            and category_id not in online
            and (allowed is None or registration_id in allowed),
            "c": categories.get(category_id, ""),
            "i": pk in inside,
        }
        if with_names:
            entry["n"] = _door_name(*names)
        entries.append(entry)
    return {
        "salt": salt,
        "checkpoint": checkpoint.pk,
        "generated_at": timezone.now().isoformat(),
        "entries": entries,
    }
