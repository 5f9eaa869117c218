"""Certificates of attendance: verification codes and the PDF.

The verification code printed in the QR is HMAC(SECRET_KEY, nonce): random (the nonce is
192 random bits), never an id, reproducible for a reprint, and only its SHA-256 is stored, so
a copy of the database alone cannot forge or enumerate verification links.
"""

import io
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as pdf_canvas

from attendance.models import AttendanceClosure, Certificate
from common.i18n import localized
from common.pdf import (
    BOLD,
    LTR,
    REGULAR,
    direction_of_language,
    draw_qr,
    draw_text_in_box,
    isolate,
    value_direction,
)
from common.tokens import derive_token, hash_token
from congress.models import Track

_SALT = "attendance.certificate"


def code_for_nonce(nonce: str) -> str:
    return derive_token(purpose=_SALT, message=nonce, nbytes=18)


def verification_code(certificate: Certificate) -> str:
    return code_for_nonce(certificate.nonce)


def certificate_for_code(*, code: str) -> Certificate | None:
    """The certificate a verification code belongs to (valid or revoked), or None."""
    if not code or len(code) > 64:
        return None
    return (
        Certificate.objects.select_related(
            "congress", "registration__person", "registration__category"
        )
        .filter(verification_hash=hash_token(code))
        .first()
    )


def verification_path(certificate: Certificate, language: str) -> str:
    with translation.override(language):
        return reverse(
            "attendance:verify_certificate", kwargs={"code": verification_code(certificate)}
        )


def format_hours(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if rest:
        return gettext("%(hours)d h %(minutes)02d") % {"hours": hours, "minutes": rest}
    return ngettext("%(hours)d hour", "%(hours)d hours", hours) % {"hours": hours}


@dataclass(frozen=True)
class CertificateTrackLine:
    name: str
    minutes: int

    @property
    def hours(self) -> str:
        return format_hours(self.minutes)


def track_lines(certificate: Certificate) -> list[CertificateTrackLine]:
    tracks = {
        track.pk: track
        for track in Track.objects.filter(pk__in=[t["track_id"] for t in certificate.tracks])
    }
    return [
        CertificateTrackLine(
            name=localized(
                tracks[line["track_id"]].name, tracks[line["track_id"]].name_translations
            ),
            minutes=line["minutes"],
        )
        for line in certificate.tracks
        if line["track_id"] in tracks
    ]


def qualification_text(certificate: Certificate) -> str:
    """What the person qualified by, in the active language: days present under the days
    rule, hours of sessions (on site plus online, the online part named) under the hours
    rule, both under the rule needing both. A certificate issued before the rule was
    recorded states its hours on site, as it always did."""
    rule = AttendanceClosure.CertificateRule
    days = ngettext(
        "Present on %(days)s day", "Present on %(days)s days", certificate.days_present
    ) % {"days": isolate(str(certificate.days_present))}
    if certificate.rule and certificate.online_minutes:
        hours = gettext("Sessions attended: %(hours)s, including %(online)s online") % {
            "hours": isolate(
                format_hours(certificate.attended_minutes + certificate.online_minutes)
            ),
            "online": isolate(format_hours(certificate.online_minutes)),
        }
    else:
        hours = gettext("Sessions attended: %(hours)s") % {
            "hours": isolate(format_hours(certificate.attended_minutes))
        }
    if certificate.rule == rule.DAYS:
        return days
    if certificate.rule == rule.BOTH:
        # Translators: two reasons for a certificate on one line, e.g. "Present on 2 days ·
        # Sessions attended: 3 hours".
        return gettext("%(days)s · %(hours)s") % {"days": isolate(days), "hours": isolate(hours)}
    return hours


def certificate_language(person) -> str:
    """The participant's preferred language when the site has it, else the default one.

    The verification URL in the QR carries this language prefix, so it must be served.
    """
    try:
        return translation.get_supported_language_variant(person.preferred_language or "")
    except LookupError:
        return settings.LANGUAGE_CODE


def render_certificate_pdf(*, certificate: Certificate, base_url: str) -> bytes:
    """The certificate as a one-page A4 PDF, in the participant's preferred language."""
    registration = certificate.registration
    person = registration.person
    language = certificate_language(person)
    with translation.override(language):
        buffer = io.BytesIO()
        canvas = pdf_canvas.Canvas(buffer, pagesize=landscape(A4), invariant=1)
        canvas.setTitle(gettext("Certificate of attendance"))
        _draw_certificate(canvas, certificate, base_url, language)
        canvas.showPage()
        canvas.save()
    return buffer.getvalue()


def _draw_certificate(canvas, certificate: Certificate, base_url: str, language: str) -> None:
    """Every text goes through common.pdf: font per script (CJK included), Arabic and
    Persian shaped, shrunk to fit its box rather than cut."""
    width, height = landscape(A4)
    registration = certificate.registration
    person = registration.person
    congress = certificate.congress
    rtl = translation.get_language_bidi()
    # Every line's base direction comes from the certificate's language, and every value
    # put into a sentence is isolated: "شارك(ت)" keeps its brackets, "1 h 30" its order.
    direction = direction_of_language(language)
    margin = 24 * mm
    inner = width - 2 * margin
    canvas.setLineWidth(2)
    canvas.setStrokeColorRGB(0.04, 0.36, 0.45)
    canvas.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)

    def line(text: str, top: float, box_height: float, size: float, *, weight=REGULAR, **kw):
        draw_text_in_box(
            canvas,
            text,
            x=kw.pop("x", margin),
            y=height - top - box_height,
            width=kw.pop("width", inner),
            height=box_height,
            max_size=size,
            weight=weight,
            direction=kw.pop("direction", direction),
            **kw,
        )

    line(gettext("Certificate of attendance"), 30 * mm, 14 * mm, 26, weight=BOLD)
    line(gettext("This certifies that"), 52 * mm, 8 * mm, 13)
    name = registration.badge_display_name if registration.is_protected else ""
    # A name on its own line: the certificate's direction when it has a letter written
    # that way ("Dr أمينة بن سالم" on an Arabic certificate), else its own.
    name = name or person.name
    line(name, 62 * mm, 18 * mm, 24, weight=BOLD, direction=value_direction(name, direction))
    congress_name = localized(congress.name, congress.name_translations, language)
    # Translators: a date range, e.g. "15 June 2027 to 17 June 2027" (keep the dash).
    dates = gettext("%(start)s – %(end)s") % {  # noqa: RUF001 - an en dash is right here
        "start": isolate(date_format(congress.starts_on)),
        "end": isolate(date_format(congress.ends_on)),
    }
    attended = gettext("attended %(congress)s, %(city)s, %(dates)s") % {
        "congress": isolate(congress_name),
        "city": isolate(congress.city),
        "dates": isolate(dates),
    }
    line(attended, 82 * mm, 12 * mm, 13)
    line(qualification_text(certificate), 95 * mm, 7 * mm, 13, weight=BOLD)
    lines = track_lines(certificate)
    if lines:
        # Between the QR code and its mirror image: tracks never run into the code.
        track_box = {"x": margin + 44 * mm, "width": inner - 88 * mm, "max_lines": 1}
        line(gettext("Training tracks"), 105 * mm, 7 * mm, 12, weight=BOLD, **track_box)
        step = min(7 * mm, (height - 105 * mm - 7 * mm - 64 * mm) / len(lines))
        for index, track in enumerate(lines):
            text = gettext("%(track)s: %(hours)s") % {
                "track": isolate(track.name),
                "hours": isolate(format_hours(track.minutes)),
            }
            line(text, 112 * mm + index * step, step, 12, min_size=4, **track_box)
    url = base_url.rstrip("/") + verification_path(certificate, language)
    qr_size = 40 * mm
    draw_qr(canvas, url, x=margin if rtl else width - margin - qr_size, y=20 * mm, size=qr_size)
    text_box = {
        "x": margin + qr_size + 6 * mm if rtl else margin,
        "width": inner - qr_size - 6 * mm,
        "align": "right" if rtl else "left",
        "max_lines": 1,
    }
    note = gettext("Verify this certificate: scan the code or visit the address below.")
    line(note, height - 38 * mm, 6 * mm, 9, **text_box)
    line(url, height - 30 * mm, 5 * mm, 8, min_size=4, direction=LTR, **text_box)
