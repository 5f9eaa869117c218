"""Receipts and visa invitation letters, rendered in the registrant's language."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from common.formatting import format_money
from common.i18n import localized
from registrations import queries
from registrations.models import Registration, VisaLetterRequest
from registrations.pdf import render_document


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


def visa_letter_pdf(*, visa: VisaLetterRequest, passport: dict, token: str) -> bytes:
    """The invitation letter with its reference number and a QR to the public check page."""
    registration = visa.registration
    congress = registration.congress
    with translation.override(registration.language or "en"):
        path = reverse("registrations:visa_verify", kwargs={"token": token})
        venue = f"{congress.city}, {congress.country.name}"
        lines = [
            _("Reference: %(reference)s") % {"reference": visa.reference},
            _("To the consular authorities,"),
            _(
                "We invite %(name)s, passport number %(passport)s, nationality %(nationality)s, "
                "to attend the congress."
            )
            % {
                "name": passport.get("full_name") or registration.person.name,
                "passport": passport.get("passport_number", ""),
                "nationality": passport.get("nationality", ""),
            },
            localized(congress.name, congress.name_translations),
            _("Dates: %(start)s to %(end)s, %(place)s")
            % {"start": congress.starts_on, "end": congress.ends_on, "place": venue},
            _("This letter is valid until %(date)s.") % {"date": visa.valid_until},
            _("Verify this letter by scanning the QR code."),
            queries.settings_for(congress=congress).letter_signatory,
        ]
        return render_document(
            title=_("Visa invitation letter"),
            letterhead=_letterhead(registration),
            lines=lines,
            qr_data=f"{settings.SITE_URL}{path}",
        )
