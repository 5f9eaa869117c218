"""Member organisation pages of a network (network administrators): the list, and one
organisation's memberships (add, end) and participation history across congresses."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.validators import DomainNameValidator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from attendance.organisations import (
    history_totals,
    network_organisations,
    organisation_of_network,
    participation_history,
)
from common.exceptions import DomainError
from common.forms import CountryField
from congress.network import (
    add_membership,
    create_member_organisation,
    end_membership,
    set_membership_verification_contacts,
)
from congress.permissions import network_for_request
from members.models import Membership, Organisation

DATE_INPUT = forms.DateInput(attrs={"type": "date"})


class OrganisationForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    acronym = forms.CharField(label=gettext_lazy("Acronym"), max_length=30, required=False)
    kind = forms.ChoiceField(label=gettext_lazy("Type"), choices=Organisation.Kind.choices)
    country = CountryField(label=gettext_lazy("Country"))
    website = forms.URLField(label=gettext_lazy("Website"), required=False, assume_scheme="https")
    joined_on = forms.DateField(label=gettext_lazy("Member since"), widget=DATE_INPUT)


class VerificationContactsForm(forms.Form):
    """What verifies that a registrant belongs to the organisation (member rate, reserved
    vouchers): the domains of its e-mail addresses and the address that confirms others."""

    email_domains = forms.CharField(
        label=gettext_lazy("E-mail domains"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "One per line or separated by commas, without @, for example ecpm.org. A "
            "registrant whose address uses one of them gets the member rate at once."
        ),
    )
    contact_email = forms.EmailField(
        label=gettext_lazy("Contact e-mail"),
        required=False,
        help_text=gettext_lazy(
            "Asked to confirm registrants who use another address. Leave empty to let "
            "organisers approve them instead."
        ),
    )

    def clean_email_domains(self) -> list[str]:
        raw = self.cleaned_data["email_domains"].replace(",", "\n").splitlines()
        domains = []
        for item in (entry.strip().lower() for entry in raw):
            if not item:
                continue
            if "@" in item:
                raise ValidationError(
                    _("Enter domains without @: %(domain)s"), params={"domain": item}
                )
            try:
                DomainNameValidator(accept_idna=False)(item)
            except ValidationError:
                raise ValidationError(
                    _("This is not a domain name: %(domain)s"), params={"domain": item}
                ) from None
            if item not in domains:
                domains.append(item)
        return domains

    def clean_contact_email(self) -> str:
        address = self.cleaned_data["contact_email"]
        local, _at, domain = address.rpartition("@")
        return f"{local}@{domain.lower()}" if address else ""


def verification_initial(organisation: Organisation) -> dict:
    return {
        "email_domains": "\n".join(organisation.email_domains or []),
        "contact_email": organisation.contact_email,
    }


class MembershipDateForm(forms.Form):
    day = forms.DateField(label=gettext_lazy("Date"), widget=DATE_INPUT)


@login_required
def organisations(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = network_for_request(request, network_slug)
    form = OrganisationForm(
        request.POST or None, initial={"joined_on": timezone.localdate().isoformat()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            organisation = create_member_organisation(
                network=network, created_by=request.user, **form.cleaned_data
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The organisation is now a member."))
            return redirect(
                "attendance:organisation",
                network_slug=network.slug,
                organisation_id=organisation.pk,
            )
    return render(
        request,
        "attendance/organisations.html",
        {
            "network": network,
            "organisations": list(network_organisations(network=network)),
            "form": form,
        },
    )


@login_required
def organisation(request: HttpRequest, network_slug: str, organisation_id: int) -> HttpResponse:
    network = network_for_request(request, network_slug)
    try:
        found = organisation_of_network(network=network, organisation_id=organisation_id)
    except Organisation.DoesNotExist:
        raise Http404 from None
    verification_form = VerificationContactsForm(
        request.POST or None, initial=verification_initial(found)
    )
    if request.method == "POST" and verification_form.is_valid():
        set_membership_verification_contacts(
            network=network,
            organisation=found,
            actor=request.user,
            **verification_form.cleaned_data,
        )
        messages.success(request, _("The e-mail domains and contact were saved."))
        return redirect(
            "attendance:organisation", network_slug=network.slug, organisation_id=found.pk
        )
    memberships = list(
        Membership.objects.filter(network=network, organisation=found).order_by("-joined_on", "-pk")
    )
    history = participation_history(network=network, organisation=found)
    return render(
        request,
        "attendance/organisation.html",
        {
            "network": network,
            "organisation": found,
            "memberships": memberships,
            "history": history,
            "totals": history_totals(history),
            "date_form": MembershipDateForm(initial={"day": timezone.localdate().isoformat()}),
            "verification_form": verification_form,
        },
    )


@login_required
@require_POST
def membership_add(request: HttpRequest, network_slug: str, organisation_id: int) -> HttpResponse:
    network = network_for_request(request, network_slug)
    try:
        found = organisation_of_network(network=network, organisation_id=organisation_id)
    except Organisation.DoesNotExist:
        raise Http404 from None
    form = MembershipDateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a valid date."))
    else:
        try:
            add_membership(
                network=network,
                organisation=found,
                joined_on=form.cleaned_data["day"],
                actor=request.user,
            )
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The membership was added."))
    return redirect("attendance:organisation", network_slug=network.slug, organisation_id=found.pk)


@login_required
@require_POST
def membership_end(
    request: HttpRequest, network_slug: str, organisation_id: int, membership_id: int
) -> HttpResponse:
    network = network_for_request(request, network_slug)
    membership = get_object_or_404(
        Membership, network=network, organisation_id=organisation_id, pk=membership_id
    )
    form = MembershipDateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a valid date."))
    else:
        end_membership(membership=membership, ended_on=form.cleaned_data["day"], actor=request.user)
        messages.success(request, _("The membership was ended."))
    return redirect(
        "attendance:organisation", network_slug=network.slug, organisation_id=organisation_id
    )
