"""Badge templates as organisers design them: saving a template (with the categories' badge
colours and a checked logo) and a preview rendered on sample people, before anyone registers."""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import BinaryIO

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from badges.models import BadgeTemplate
from badges.rendering import BadgeData, BadgeStyle, render_badges
from common.i18n import localized
from congress.models import Congress
from congress.services import record_audit
from registrations.models import RegistrationCategory

Actor = AbstractBaseUser | AnonymousUser | None
LOGO_MAX_BYTES = 1024 * 1024
LOGO_FORMATS = {"PNG", "JPEG"}
# As long as a real token (22 characters: the QR has a fixed version) and reads as a sample to
# anyone who scans a preview.
PREVIEW_TOKEN = "SAMPLE-BADGE-NOT-VALID"  # noqa: S105 (a printed sample, not a secret)


@dataclass(frozen=True)
class SamplePerson:
    name: str
    latin_name: str
    organisation: str
    country: str
    language: str


# One person per script a badge must print: Latin with diacritics, Arabic, Cyrillic, CJK.
SAMPLE_PEOPLE = (
    SamplePerson("Hélène Dubois-Ngọc", "", "Ensemble contre la peine de mort", "FR", "fr"),
    SamplePerson("ليلى عبد الرحمن", "Layla Abdelrahman", "جمعية العدالة", "MA", "ar"),
    SamplePerson("Мария Иванова", "Maria Ivanova", "Правозащитный центр", "KZ", "ru"),
    SamplePerson("王小明", "Wang Xiaoming", "人权律师网络", "TW", "zh-hans"),
)


def check_logo(upload) -> None:
    """Refuse a logo that is not a PNG or JPEG image of at most 1 MB (by its content, not its
    name). Raises ValidationError with a translated message."""
    if upload.size > LOGO_MAX_BYTES:
        raise ValidationError(
            _("The logo is too large: at most %(size)s MB."), code="too_large", params={"size": 1}
        )
    position = upload.tell() if hasattr(upload, "tell") else 0
    try:
        with Image.open(upload) as image:
            image_format = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        image_format = None
    finally:
        upload.seek(position)
    if image_format not in LOGO_FORMATS:
        raise ValidationError(_("The logo must be a PNG or JPEG image."), code="wrong_type")


def save_badge_template(
    *,
    template: BadgeTemplate,
    category_colours: dict[int, str] | None = None,
    actor: Actor = None,
) -> BadgeTemplate:
    """Create or change a badge template, and set the badge colour of the congress's
    categories (`{category id: "#RRGGBB"}`; ids of other congresses are ignored).

    Guarantees: the template passes model validation (one template per category and one
    default per congress, a PNG/JPEG logo); an audit row is written. Raises ValidationError.
    """
    with transaction.atomic():
        created = template.pk is None
        template.full_clean()
        template.save()
        changed = []
        for category in RegistrationCategory.objects.select_for_update().filter(
            congress_id=template.congress_id, pk__in=list(category_colours or {})
        ):
            colour = category_colours[category.pk]
            if colour and colour != category.colour:
                category.colour = colour
                category.save(update_fields=["colour"])
                changed.append(category.pk)
        record_audit(
            action="badge_template.created" if created else "badge_template.changed",
            congress=template.congress,
            actor=actor,
            target=template,
            detail={"size": template.size, "fields": list(template.fields), "colours": changed},
        )
    return template


def _sample_badges(categories: list[tuple[int, str, str]]) -> list[BadgeData]:
    badges = []
    for index, person in enumerate(SAMPLE_PEOPLE):
        category_id, category_name, colour = categories[index % len(categories)]
        badges.append(
            BadgeData(
                registration_id=0,
                token=PREVIEW_TOKEN,
                name=person.name,
                latin_name=person.latin_name,
                organisation=person.organisation,
                country=person.country,
                category_id=category_id,
                category=category_name,
                role="",
                language=person.language,
                colour=colour,
            )
        )
    return badges


def render_template_preview(
    *,
    congress: Congress,
    size: str,
    fields: Iterable[str],
    text_colour: str,
    category_colours: dict[int, str] | None = None,
    logo_path: str = "",
    out: BinaryIO | None = None,
) -> bytes:
    """A PDF of four sample badges (names in Latin, Arabic, Cyrillic and CJK scripts) drawn
    exactly as real badges are (`badges.rendering`), with the congress's categories in turn
    and the colours given (else each category's own). Nothing is saved; no registration is
    needed. Returns the PDF bytes (also written to `out` when given)."""
    colours = category_colours or {}
    categories = [
        (category.pk, localized(category.name, category.name_translations), category.colour)
        for category in RegistrationCategory.objects.filter(congress=congress).order_by(
            "position", "name"
        )
    ]
    categories = [(pk, name, colours.get(pk) or colour) for pk, name, colour in categories]
    if not categories:
        categories = [(0, str(_("Participant")), "#1f6f8b")]
    style = BadgeStyle(
        congress_name=localized(congress.name, congress.name_translations),
        colour="#1f6f8b",
        text_colour=text_colour or "#111111",
        fields=tuple(fields) or tuple(BadgeTemplate.DEFAULT_FIELDS),
        logo_path=logo_path,
        size=size,
    )
    buffer = out or io.BytesIO()
    render_badges(
        badges=_sample_badges(categories),
        style_for=lambda _category_id: style,
        size=size,
        out=buffer,
        title=str(_("Badge preview")),
    )
    return buffer.getvalue() if hasattr(buffer, "getvalue") else b""
