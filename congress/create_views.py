"""Creating a congress (network administrators): from scratch or as a new edition."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from congress.creation import NewCongress, create_congress
from congress.forms import CongressCreateForm
from congress.permissions import network_for_request


@login_required
def congress_create(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = network_for_request(request, network_slug)
    form = CongressCreateForm(request.POST or None, network=network)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        details = NewCongress(
            network=network,
            names=data["names"],
            languages=data["languages"],
            kind=data["kind"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            timezone=data["timezone"],
            currency=data["currency"],
            city=data["city"],
            country=data["country"],
            venue_name=data["venue_name"],
            venue_address=data["venue_address"],
        )
        try:
            congress, counts = create_congress(
                details=details,
                created_by=request.user,
                clone_from=data["clone_from"],
                offset_days=data["offset_days"],
                include_vouchers=data["include_vouchers"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if counts:
                messages.success(
                    request,
                    _("The new edition was created as a draft with %(count)s copied items.")
                    % {"count": sum(counts.values())},
                )
            else:
                messages.success(request, _("The congress was created as a draft."))
            return redirect("congress:manage", slug=congress.slug)
    return render(request, "congress/backoffice/create.html", {"form": form, "network": network})
