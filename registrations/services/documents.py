"""Receipts, invoices and visa invitation letters, rendered in the recipient's language."""

import datetime
import logging
from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_countries.fields import Country

from common.formatting import format_money
from common.i18n import localized
from registrations import queries
from registrations.models import Invoice, Registration, VisaLetterRequest
from registrations.pdf import render_document
from registrations.services.invoices import invoice_settings_for

logger = logging.getLogger(__name__)


def _letterhead(registration: Registration) -> list[str]:
    congress = registration.congress
    registration_settings = queries.settings_for(congress=congress)
    lines = [localized(congress.name, congress.name_translations)]
    lines += [line for line in registration_settings.letterhead.splitlines() if line.strip()]
    return lines


def receipt_pdf(*, registration: Registration) -> bytes:
    """A receipt for what the registrant paid (and was refunded)."""
    language = registration.language or "en"
    with translation.override(language):
        currency = registration.currency
        lines = [
            _("Name: %(name)s") % {"name": registration.person.name},
            _("Category: %(category)s")
            % {
                "category": localized(
                    registration.category.name, registration.category.name_translations
                )
            },
            _("Payment reference: %(reference)s") % {"reference": registration.payment_reference},
            _("Fee: %(amount)s")
            % {"amount": format_money(registration.amount_due_minor, currency, language)},
            _("Paid: %(amount)s")
            % {"amount": format_money(registration.amount_paid_minor, currency, language)},
            _("Refunded: %(amount)s")
            % {"amount": format_money(registration.amount_refunded_minor, currency, language)},
            _("Status: %(status)s") % {"status": registration.get_status_display()},
        ]
        return render_document(
            title=_("Receipt"), letterhead=_letterhead(registration), lines=lines
        )


def _letter_date(value) -> str:
    """A date (or an ISO date string from the passport form) in the active language."""
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value)
        except ValueError:
            return value
    return formats.date_format(value, "DATE_FORMAT") if value else ""


def _costs_lines(covered: list[str]) -> list[str]:
    Cost = VisaLetterRequest.Cost
    by_organisers = [str(Cost(code).label) for code in Cost.values if code in covered]
    by_participant = [str(Cost(code).label) for code in Cost.values if code not in covered]
    lines = []
    if by_organisers:
        lines.append(_("The organisers cover: %(costs)s.") % {"costs": ", ".join(by_organisers)})
    if by_participant:
        lines.append(_("The participant covers: %(costs)s.") % {"costs": ", ".join(by_participant)})
    return lines


def visa_letter_pdf(*, visa: VisaLetterRequest, passport: dict, token: str) -> bytes:
    """The invitation letter, in the language the organiser chose for the consulate (the
    congress's setting by default, not the participant's): reference and issue date, the
    person as in the passport (full name, nationality as a country name, date of birth,
    passport number and expiry), the congress, its dates and place, who covers which
    costs, the validity, and a QR to the public check page."""
    registration = visa.registration
    congress = registration.congress
    registration_settings = queries.settings_for(congress=congress)
    language = visa.letter_language or registration_settings.visa_letter_language or "en"
    covered = (
        visa.costs_covered
        if visa.costs_covered is not None
        else registration_settings.visa_costs_covered
    )
    with translation.override(language):
        path = reverse("registrations:visa_verify", kwargs={"token": token})
        venue = f"{congress.city}, {congress.country.name}"
        issued = visa.decided_at.astimezone(congress.tzinfo).date() if visa.decided_at else None
        nationality = passport.get("nationality", "")
        lines = [
            _("Reference: %(reference)s") % {"reference": visa.reference},
            _("Issued on: %(date)s") % {"date": _letter_date(issued)},
            "",
            _("To the consular authorities,"),
            _("We invite the person below to attend %(congress)s,")
            % {"congress": localized(congress.name, congress.name_translations)},
            _("held in %(place)s from %(start)s to %(end)s.")
            % {
                "place": venue,
                "start": _letter_date(congress.starts_on),
                "end": _letter_date(congress.ends_on),
            },
            "",
            _("Full name: %(name)s")
            % {"name": passport.get("full_name") or registration.person.name},
            _("Nationality: %(country)s")
            % {"country": Country(nationality).name if nationality else ""},
            _("Date of birth: %(date)s") % {"date": _letter_date(passport.get("date_of_birth"))},
            _("Passport number: %(number)s") % {"number": passport.get("passport_number", "")},
            _("Passport valid until: %(date)s")
            % {"date": _letter_date(passport.get("expires_on"))},
            "",
            *_costs_lines(covered),
            _("This letter is valid until %(date)s.") % {"date": _letter_date(visa.valid_until)},
            _("Verify this letter by scanning the QR code."),
        ]
        return render_document(
            title=_("Visa invitation letter"),
            letterhead=_letterhead(registration),
            lines=lines,
            qr_data=f"{settings.SITE_URL}{path}",
            signature=_signature_bytes(registration_settings),
            signature_lines=(
                registration_settings.letter_signatory,
                registration_settings.letter_signatory_title,
            ),
        )


def _signature_bytes(registration_settings) -> bytes:
    """The signatory's image from private storage; none when unset or the file is gone
    (the letter is then issued unsigned rather than failing)."""
    if not registration_settings.signature_image:
        return b""
    try:
        with registration_settings.signature_image.open("rb") as handle:
            return handle.read()
    except OSError:
        logger.warning("visa letter: the signature image is missing from storage")
        return b""


def _percent(basis_points: int, language: str) -> str:
    from babel.numbers import format_decimal

    return format_decimal(
        Decimal(basis_points).scaleb(-2), locale=language.replace("-", "_"), format="#,##0.##"
    )


def invoice_pdf(*, invoice: Invoice) -> bytes:
    """The invoice or credit note in the language it was issued in (FR, EN or AR)."""
    congress = invoice.congress
    language = invoice.language or "en"
    invoice_settings = invoice_settings_for(congress=congress)
    with translation.override(language):
        letterhead = [
            invoice_settings.issuer_name or localized(congress.name, congress.name_translations)
        ]
        letterhead += [
            line for line in invoice_settings.issuer_address.splitlines() if line.strip()
        ]
        if invoice_settings.issuer_vat_number:
            letterhead.append(
                _("VAT number: %(number)s") % {"number": invoice_settings.issuer_vat_number}
            )
        title = (
            _("Credit note %(number)s")
            if invoice.kind == Invoice.Kind.CREDIT_NOTE
            else _("Invoice %(number)s")
        ) % {"number": invoice.display_number}
        lines = _invoice_header_lines(invoice) + _invoice_amount_lines(invoice, language)
        return render_document(title=title, letterhead=letterhead, lines=lines)


def _invoice_header_lines(invoice: Invoice) -> list[str]:
    congress = invoice.congress
    issued_on = timezone.localtime(invoice.issued_at).date()
    lines = [
        _("Date: %(date)s") % {"date": date_format(issued_on, "DATE_FORMAT")},
        localized(congress.name, congress.name_translations),
        "",
        _("Billed to: %(name)s") % {"name": invoice.billing_name},
        *[line for line in invoice.billing_address.splitlines() if line.strip()],
    ]
    if invoice.billing_country:
        lines.append(str(Country(invoice.billing_country).name))
    if invoice.billing_vat_number:
        lines.append(_("VAT number: %(number)s") % {"number": invoice.billing_vat_number})
    if invoice.credited_invoice_id:
        lines.append(
            _("Corrects invoice %(number)s") % {"number": invoice.credited_invoice.display_number}
        )
    return lines


def _invoice_amount_lines(invoice: Invoice, language: str) -> list[str]:
    currency = invoice.currency
    lines = [""]
    lines += [
        f"{item['description']}: {format_money(item['amount_minor'], currency, language)}"
        for item in invoice.lines
    ]
    lines += [
        "",
        _("Total (VAT included): %(amount)s")
        % {"amount": format_money(invoice.signed_total_minor, currency, language)},
    ]
    if invoice.vat_rate_basis_points:
        lines.append(
            _("of which VAT at %(rate)s %%: %(amount)s")
            % {
                "rate": _percent(invoice.vat_rate_basis_points, language),
                "amount": format_money(invoice.vat_minor, currency, language),
            }
        )
    elif invoice.vat_exemption_text:
        lines.append(invoice.vat_exemption_text)
    if invoice.paid_on:
        lines.append(_("Paid on %(date)s") % {"date": date_format(invoice.paid_on, "DATE_FORMAT")})
    elif invoice.kind == Invoice.Kind.INVOICE:
        payer = invoice.registration or invoice.group
        lines.append(
            _("To pay by bank transfer with the reference %(reference)s")
            % {"reference": payer.payment_reference}
        )
    return lines
