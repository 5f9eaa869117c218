"""Certificates of attendance: verification codes and the PDF.

The verification code printed in the QR is HMAC(SECRET_KEY, nonce): random (the nonce is
192 random bits), never an id, reproducible for a reprint, and only its SHA-256 is stored, so
a copy of the database alone cannot forge or enumerate verification links.
"""

import base64
import hashlib
import io
from dataclasses import dataclass

import segno
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import salted_hmac
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as pdf_canvas

from badges.attendance_models import Certificate
from badges.reports import pdf_text
from congress.i18n import localized
from congress.models import Track

_SALT = "badges.reports.certificate"


def code_for_nonce(nonce: str) -> str:
    digest = salted_hmac(_SALT, nonce, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest[:18]).decode().rstrip("=")


def hash_code(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


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
        .filter(verification_hash=hash_code(code))
        .first()
    )


def verification_path(certificate: Certificate, language: str) -> str:
    with translation.override(language):
        return reverse(
            "reports:verify_certificate", kwargs={"code": verification_code(certificate)}
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


def render_certificate_pdf(*, certificate: Certificate, base_url: str) -> bytes:
    """The certificate as a one-page A4 PDF, in the participant's preferred language."""
    registration = certificate.registration
    person = registration.person
    language = person.preferred_language or "en"
    with translation.override(language):
        buffer = io.BytesIO()
        canvas = pdf_canvas.Canvas(buffer, pagesize=landscape(A4), invariant=1)
        canvas.setTitle(gettext("Certificate of attendance"))
        _draw_certificate(canvas, certificate, base_url, language)
        canvas.showPage()
        canvas.save()
    return buffer.getvalue()


def _draw_certificate(canvas, certificate: Certificate, base_url: str, language: str) -> None:
    width, height = landscape(A4)
    registration = certificate.registration
    person = registration.person
    congress = certificate.congress
    rtl = translation.get_language_bidi()
    centre = width / 2
    canvas.setLineWidth(2)
    canvas.setStrokeColorRGB(0.04, 0.36, 0.45)
    canvas.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    pdf_text.draw_centred(
        canvas, gettext("Certificate of attendance"), centre, height - 40 * mm, 26, bold=True
    )
    pdf_text.draw_centred(canvas, gettext("This certifies that"), centre, height - 58 * mm, 13)
    name = registration.badge_display_name if registration.is_protected else ""
    name = name or pdf_text.display_name(person.name, person.latin_name)
    pdf_text.draw_centred(canvas, name, centre, height - 74 * mm, 24, bold=True)
    congress_name = localized(congress.name, congress.name_translations, language)
    # Translators: a date range, e.g. "15 June 2027 to 17 June 2027" (keep the dash).
    dates = gettext("%(start)s – %(end)s") % {  # noqa: RUF001 - an en dash is right here
        "start": date_format(congress.starts_on),
        "end": date_format(congress.ends_on),
    }
    attended = gettext("attended %(congress)s, %(city)s, %(dates)s") % {
        "congress": congress_name,
        "city": congress.city,
        "dates": dates,
    }
    pdf_text.draw_centred(canvas, attended, centre, height - 88 * mm, 13)
    total = gettext("Sessions attended: %(hours)s") % {
        "hours": format_hours(certificate.attended_minutes)
    }
    pdf_text.draw_centred(canvas, total, centre, height - 100 * mm, 13, bold=True)
    y = height - 114 * mm
    lines = track_lines(certificate)
    if lines:
        pdf_text.draw_centred(canvas, gettext("Training tracks"), centre, y, 12, bold=True)
        for line in lines:
            y -= 7 * mm
            text = gettext("%(track)s: %(hours)s") % {
                "track": line.name,
                "hours": format_hours(line.minutes),
            }
            pdf_text.draw_centred(canvas, text, centre, y, 12)
    url = base_url.rstrip("/") + verification_path(certificate, language)
    _draw_qr(canvas, url, x=(24 * mm if rtl else width - 64 * mm), y=20 * mm, size=40 * mm)
    note = gettext("Verify this certificate: scan the code or visit the address below.")
    pdf_text.draw(canvas, note, 24 * mm if not rtl else width - 24 * mm, 34 * mm, 9, rtl=rtl)
    canvas.setFont(pdf_text.LATIN, 8)
    if rtl:
        canvas.drawRightString(width - 24 * mm, 27 * mm, url)
    else:
        canvas.drawString(24 * mm, 27 * mm, url)


def _draw_qr(canvas, data: str, *, x: float, y: float, size: float) -> None:
    """Vector QR: each row's run of dark modules is one rectangle (sharp at any size)."""
    qr = segno.make(data, error="m", micro=False)
    rows = [list(row) for row in qr.matrix]
    border = 4
    modules = len(rows) + 2 * border
    module = size / modules
    canvas.setFillColorRGB(1, 1, 1)
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    canvas.setFillColorRGB(0, 0, 0)
    for row_index, row in enumerate(rows):
        top = y + size - (row_index + border + 1) * module
        column = 0
        while column < len(row):
            if row[column]:
                start = column
                while column < len(row) and row[column]:
                    column += 1
                canvas.rect(
                    x + (start + border) * module,
                    top,
                    (column - start) * module,
                    module,
                    stroke=0,
                    fill=1,
                )
            else:
                column += 1
