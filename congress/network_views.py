"""Network staff page (network administrators)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from common.exceptions import DomainError
from congress.network import (
    add_network_administrator,
    network_administrators,
    remove_network_administrator,
)
from congress.permissions import network_for_request


class AddAdministratorForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("E-mail address of the account"),
        widget=forms.EmailInput(attrs={"dir": "ltr", "autocomplete": "off"}),
    )


@login_required
def network_staff(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = network_for_request(request, network_slug)
    form = AddAdministratorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            add_network_administrator(
                network=network, email=form.cleaned_data["email"], added_by=request.user
            )
        except DomainError as error:
            form.add_error("email", str(error))
        else:
            messages.success(request, _("The administrator was added."))
            return redirect("congress:network_staff", network_slug=network.slug)
    return render(
        request,
        "congress/backoffice/network_staff.html",
        {
            "network": network,
            "administrators": list(network_administrators(network=network)),
            "form": form,
        },
    )


@login_required
@require_POST
def network_staff_remove(request: HttpRequest, network_slug: str, user_id: int) -> HttpResponse:
    network = network_for_request(request, network_slug)
    try:
        remove_network_administrator(network=network, user_id=user_id, removed_by=request.user)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The administrator was removed."))
    return redirect("congress:network_staff", network_slug=network.slug)
