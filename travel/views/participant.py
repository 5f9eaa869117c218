"""The participant's travel support page, reached from their private registration link."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from common.exceptions import DomainError
from registrations.self_service import registration_for_access_token
from travel import services
from travel.forms import AccommodationForm, ClaimForm, GrantApplicationForm, ItineraryForm
from travel.models import (
    AccommodationRequest,
    Award,
    GrantApplication,
    GrantProgramme,
    Itinerary,
)
from travel.services.grants import applications_are_open


def _registration(token: str):
    registration = registration_for_access_token(token=token)
    if registration is None or not registration.is_active:
        raise Http404
    return registration


def participant(request: HttpRequest, token: str) -> HttpResponse:
    registration = _registration(token)
    congress = registration.congress
    application = (
        GrantApplication.objects.filter(registration=registration).prefetch_related("items").first()
    )
    awards = (
        list(
            Award.objects.filter(application=application)
            .select_related("budget_line")
            .prefetch_related("reimbursements")
        )
        if application
        else []
    )
    forms = {
        "apply": GrantApplicationForm(congress=congress),
        "claim": ClaimForm(awards=awards),
        "accommodation": AccommodationForm(
            instance=AccommodationRequest.objects.filter(registration=registration).first()
        ),
        "itinerary": _itinerary_form(registration, congress),
    }
    if request.method == "POST":
        action = request.POST.get("action", "")
        handler = _HANDLERS.get(action)
        if handler is None:
            raise Http404
        form, done = handler(request, registration, congress, awards)
        if done:
            return redirect(request.path)
        forms[action] = form
    return render(
        request,
        "travel/participant.html",
        {
            "registration": registration,
            "congress": congress,
            "programme": GrantProgramme.objects.filter(congress=congress).first(),
            "is_open": applications_are_open(congress=congress),
            "application": application,
            "awards": awards,
            "forms": forms,
            "token": token,
        },
    )


def _itinerary_form(registration, congress, data=None):
    itinerary = Itinerary.objects.filter(registration=registration).first()
    initial = {}
    if itinerary is not None:
        initial = {
            name: getattr(itinerary, name)
            for name in (
                "needs_transfer",
                "phone",
                "arrival_flight",
                "arrival_airport",
                "arrival_at",
                "departure_flight",
                "departure_airport",
                "departure_at",
            )
        }
    return ItineraryForm(data, congress=congress, initial=initial)


def _apply(request, registration, congress, awards):
    form = GrantApplicationForm(request.POST, congress=congress)
    if not form.is_valid():
        return form, False
    try:
        services.apply_for_grant(
            registration=registration,
            motivation=form.cleaned_data["motivation"],
            currency=form.cleaned_data["currency"],
            items=[services.RequestedItem(*item) for item in form.cleaned_data["items"]],
            answers=form.cleaned_data["answers"],
            gender=form.cleaned_data.get("gender") or "",
        )
    except DomainError as error:
        form.add_error(None, str(error))
        return form, False
    messages.success(request, gettext("Your application was received. We will write to you."))
    return form, True


def _claim(request, registration, congress, awards):
    form = ClaimForm(request.POST, request.FILES, awards=awards)
    if not form.is_valid() or form.cleaned_data.get("amount_minor") is None:
        return form, False
    try:
        services.claim_reimbursement(
            award=form.cleaned_data["award"],
            claimed_minor=form.cleaned_data["amount_minor"],
            description=form.cleaned_data["description"],
            receipt=form.cleaned_data["receipt"],
        )
    except DomainError as error:
        form.add_error(None, str(error))
        return form, False
    messages.success(request, gettext("Your claim was sent with its receipt."))
    return form, True


def _accommodation(request, registration, congress, awards):
    instance = AccommodationRequest.objects.filter(registration=registration).first()
    form = AccommodationForm(request.POST, instance=instance)
    if not form.is_valid():
        return form, False
    services.save_accommodation_request(
        registration=registration,
        **{key: form.cleaned_data[key] for key in form.Meta.fields},
    )
    messages.success(request, gettext("Your accommodation request was saved."))
    return form, True


def _itinerary(request, registration, congress, awards):
    form = _itinerary_form(registration, congress, request.POST)
    if not form.is_valid():
        return form, False
    services.save_itinerary(registration=registration, **form.cleaned_data)
    messages.success(request, gettext("Your flights were saved."))
    return form, True


_HANDLERS = {
    "apply": _apply,
    "claim": _claim,
    "accommodation": _accommodation,
    "itinerary": _itinerary,
}
