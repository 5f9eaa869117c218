"""The organiser's "open registration" switch page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.permissions import Role, congress_for_request
from registrations.opening import close_registration, open_registration, opening_state


@login_required
def opening(request: HttpRequest, slug: str) -> HttpResponse:
    congress = congress_for_request(request, slug, Role.ORGANISER)
    if request.method == "POST":
        if request.POST.get("registration") == "open":
            open_registration(congress=congress, actor=request.user)
            messages.success(request, _("Registration is open."))
        elif request.POST.get("registration") == "closed":
            close_registration(congress=congress, actor=request.user)
            messages.success(request, _("Registration is closed."))
        return redirect("registrations:opening", slug=congress.slug)
    with timezone.override(congress.tzinfo):
        return render(
            request,
            "registrations/backoffice/opening.html",
            {"congress": congress, "state": opening_state(congress=congress)},
        )
