"""Site pages of the programme: the public programme, session pages, participants' sign-ups
and agenda (by private link or as a logged-in person), downloads. The organisers' timetable
editor is in backoffice_views.py. Views parse, check permission, call one service or query,
and render."""

import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from common.exceptions import DomainError
from common.i18n import localized
from congress.models import Congress
from congress.permissions import congress_for_request
from registrations.models import Registration
from registrations.self_service import registration_for_access_token
from sessions import programme_cache, services
from sessions.calendar import render_calendar
from sessions.cards import CARD_FIELDS, cards_by_day
from sessions.forms import ProgrammeFilterForm
from sessions.models import Session, SessionSignup
from sessions.programme_pdf import render_programme_pdf
from sessions.queries import (
    active_signups,
    agenda_sessions,
    attach_public_speakers,
    congress_days,
    congresses_with_tracks,
    interpretation_channels,
    participant_registration,
    programme_rows,
    programme_sessions,
)


def _render(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    """Render in the congress's time zone: templates convert aware datetimes to the current
    zone, and programme times are always shown as local congress times."""
    with timezone.override(context["congress"].tzinfo):
        return render(request, template, context)


def _by_day(congress: Congress, sessions) -> list[tuple[datetime.date, list[dict]]]:
    """Cards of a programme_sessions() queryset by day: two queries, plain rows."""
    rows = programme_rows(sessions, fields=CARD_FIELDS)
    return cards_by_day(congress, attach_public_speakers(rows))


def _signup_states(registration: Registration | None) -> dict[int, SessionSignup]:
    if registration is None:
        return {}
    return {signup.session_id: signup for signup in active_signups(registration=registration)}


def programme(request: HttpRequest, slug: str) -> HttpResponse:
    if request.GET:  # a filter (or a bound form showing its errors)
        return _filtered_programme(request, congress_for_request(request, slug))
    # The unfiltered page is the same for every visitor of a language and variant: its
    # validators come from the congress's programme version, so a repeat visit is answered
    # 304 before anything is rendered, and for a published congress already seen, before
    # the congress is even read (sessions.programme_cache, docs/programme.md).
    public_id = programme_cache.public_congress_id(slug=slug)
    if public_id is not None:
        validated = _programme_validators(request, congress_id=public_id)
        if validated.not_modified is not None:
            return validated.not_modified
        if validated.etag is not None:
            # A first visit by an anonymous visitor: the whole page another visitor of
            # this language got (nothing in it is per visitor), with no query at all.
            page = programme_cache.cached_page(
                request, congress_id=public_id, version=validated.version
            )
            if page is not None:
                return _programme_response(
                    HttpResponse(page), version=validated.version, etag=validated.etag
                )
    congress = congress_for_request(request, slug)
    if congress.is_published and public_id != congress.pk:
        programme_cache.remember_public_congress(slug=slug, congress_id=congress.pk)
    validated = _programme_validators(request, congress_id=congress.pk)
    if validated.not_modified is not None:
        return validated.not_modified
    version, etag = validated.version, validated.etag
    # Everything below the cache (the filter form and its tracks, the sessions) is built
    # only on a miss: a page from the cache costs the congress's query alone.

    def render_list() -> str:
        with timezone.override(congress.tzinfo):
            return render_to_string(
                "sessions/_programme_days.html",
                {
                    "days": _by_day(congress, programme_sessions(congress=congress)),
                    "is_filtered": False,
                },
                request=request,
            )

    def render_filters() -> str:
        return render_to_string(
            "sessions/_programme_filters.html",
            {"congress": congress, "form": _filter_form(request, congress), "is_filtered": False},
            request=request,
        )

    context = {"congress": congress, "is_filtered": False}
    context["filters_html"] = mark_safe(  # noqa: S308 - our own template's output
        programme_cache.cached_session_list(
            congress_id=congress.pk, version=version, render=render_filters, part="filters"
        )
    )
    context["days_html"] = mark_safe(  # noqa: S308 - our own template's output
        programme_cache.cached_session_list(
            congress_id=congress.pk, version=version, render=render_list
        )
    )
    response = _programme_response(
        _render(request, "sessions/programme.html", context), version=version, etag=etag
    )
    if etag is not None and congress.is_published:
        programme_cache.store_page(request, response, congress_id=congress.pk, version=version)
    return response


def _programme_response(response: HttpResponse, *, version: int, etag: str | None):
    response["Last-Modified"] = http_date(version // 1_000_000_000)
    if etag is not None:  # else common.conditional hashes the rendered page
        response["ETag"] = etag
    _revalidate_every_time(response)
    return response


@dataclass(frozen=True)
class _Validators:
    version: int
    etag: str | None
    not_modified: HttpResponse | None


def _revalidate_every_time(response: HttpResponse) -> None:
    """A browser keeps the page but asks each time (a 304 when nothing changed), so an
    edit shows at once; without it, Last-Modified alone lets browsers reuse the page for
    a guessed while without asking."""
    patch_cache_control(response, no_cache=True)
    patch_vary_headers(response, ["Accept-Encoding"])


def _programme_validators(request: HttpRequest, *, congress_id: int) -> _Validators:
    """The programme page's ETag and Last-Modified for this visitor, and the 304 (or 412)
    answer when the request's conditions say the copy it has is current."""
    version = programme_cache.programme_version(congress_id=congress_id)
    etag = programme_cache.page_etag(request, congress_id=congress_id, version=version)
    if etag is None:
        return _Validators(version=version, etag=None, not_modified=None)
    last_modified = version // 1_000_000_000
    validators = HttpResponse()
    validators["ETag"] = etag
    validators["Last-Modified"] = http_date(last_modified)
    _revalidate_every_time(validators)
    answer = get_conditional_response(
        request, etag=etag, last_modified=last_modified, response=validators
    )
    if answer is validators:
        return _Validators(version=version, etag=etag, not_modified=None)
    get_token(request)  # keeps the CSRF cookie fresh, as the rendered page does
    return _Validators(version=version, etag=etag, not_modified=answer)


def _filter_form(request: HttpRequest, congress: Congress) -> ProgrammeFilterForm:
    return ProgrammeFilterForm(
        request.GET or None,
        congress=congress,
        days=congress_days(congress),
        tracks=list(congress.tracks.all()),
    )


def _filtered_programme(request: HttpRequest, congress: Congress) -> HttpResponse:
    form = _filter_form(request, congress)
    filters = form.cleaned_data if form.is_valid() else {}
    sessions = programme_sessions(
        congress=congress,
        day=filters.get("day"),
        track=filters.get("track") or None,
        language=filters.get("language") or None,
        search=filters.get("q") or None,
    )
    context = {
        "congress": congress,
        "form": form,
        "is_filtered": any(filters.values()) if filters else False,
        "days": _by_day(congress, sessions),
    }
    return _render(request, "sessions/programme.html", context)


def session_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    congress = congress_for_request(request, slug, queryset=congresses_with_tracks())
    session = get_object_or_404(programme_sessions(congress=congress), pk=pk)
    registration = participant_registration(congress=congress, user=request.user)
    context = {
        "congress": congress,
        "session": session,
        "channels": interpretation_channels(congress=congress).for_session(session),
        "registration": registration,
        "signups": _signup_states(registration),
        "is_logged_in": request.user.is_authenticated,
    }
    return _render(request, "sessions/session_detail.html", context)


def _signup_or_message(request, *, session: Session, registration, cancel: bool) -> None:
    try:
        if cancel:
            signup = SessionSignup.objects.filter(
                session=session, registration=registration, state__in=services.signups.ACTIVE_STATES
            ).first()
            if signup is None:
                raise services.signups.SignupNotActive()
            services.cancel_signup(signup=signup, actor=request.user)
            messages.success(request, gettext("Your sign-up is cancelled."))
            return
        signup = services.sign_up_for_session(
            session=session, registration=registration, actor=request.user
        )
    except DomainError as error:
        messages.error(request, str(error))
        return
    if signup.state == SessionSignup.State.SEATED:
        messages.success(request, gettext("You have a seat in this session."))
    else:
        messages.warning(
            request,
            gettext("The session is full: you are on the waiting list and will be e-mailed."),
        )


def _published_session(congress: Congress, pk: int) -> Session:
    return get_object_or_404(
        Session.objects.select_related("room", "congress"),
        pk=pk,
        congress=congress,
        status=Session.Status.PUBLISHED,
    )


@login_required
@require_POST
def session_signup(request: HttpRequest, slug: str, pk: int, action: str) -> HttpResponse:
    """A logged-in person signs up (or cancels) with their registration for the congress."""
    congress = congress_for_request(request, slug, queryset=congresses_with_tracks())
    session = _published_session(congress, pk)
    registration = participant_registration(congress=congress, user=request.user)
    if registration is None:
        messages.error(request, str(services.signups.RegistrationNotConfirmed()))
    else:
        _signup_or_message(
            request, session=session, registration=registration, cancel=action == "cancel"
        )
    return redirect("sessions:session", slug=congress.slug, pk=session.pk)


def _token_registration(token: str) -> Registration:
    registration = registration_for_access_token(token=token)
    if registration is None:
        raise Http404
    return registration


def _agenda_context(registration: Registration) -> dict:
    congress = registration.congress
    signups = _signup_states(registration)
    open_sessions = programme_sessions(congress=congress).filter(requires_signup=True)
    return {
        "congress": congress,
        "registration": registration,
        "signups": signups,
        "agenda_days": _by_day(congress, agenda_sessions(registration=registration)),
        "waitlisted": [s for s in signups.values() if s.state == SessionSignup.State.WAITLISTED],
        "open_days": _by_day(congress, open_sessions),
    }


def agenda(request: HttpRequest, token: str) -> HttpResponse:
    """The participant's programme page reached by their private link: agenda, sign-ups."""
    registration = _token_registration(token)
    context = {**_agenda_context(registration), "token": token}
    response = _render(request, "sessions/agenda.html", context)
    # The private token is in the URL: never cache the page. (The site-wide Referrer-Policy
    # "same-origin" keeps the URL from other sites; "no-referrer" would make browsers send
    # "Origin: null" with the sign-up forms, which CSRF protection rightly refuses.)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def my_agenda(request: HttpRequest, slug: str) -> HttpResponse:
    congress = congress_for_request(request, slug, queryset=congresses_with_tracks())
    registration = participant_registration(congress=congress, user=request.user)
    if registration is None:
        messages.error(request, str(services.signups.RegistrationNotConfirmed()))
        return redirect("sessions:programme", slug=congress.slug)
    return _render(request, "sessions/agenda.html", {**_agenda_context(registration), "token": ""})


@require_POST
def agenda_signup(request: HttpRequest, token: str, pk: int, action: str) -> HttpResponse:
    registration = _token_registration(token)
    session = _published_session(registration.congress, pk)
    _signup_or_message(
        request, session=session, registration=registration, cancel=action == "cancel"
    )
    return redirect("sessions:agenda", token=token)


def _download(content: bytes, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def programme_ical(request: HttpRequest, slug: str) -> HttpResponse:
    congress = congress_for_request(request, slug, queryset=congresses_with_tracks())
    body = render_calendar(
        congress=congress,
        sessions=programme_sessions(congress=congress),
        name=localized(congress.name, congress.name_translations),
    )
    return _download(body, content_type="text/calendar; charset=utf-8", filename=f"{slug}.ics")


def programme_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    congress = congress_for_request(request, slug, queryset=congresses_with_tracks())
    body = render_programme_pdf(
        congress=congress,
        sessions=programme_sessions(congress=congress),
        title=gettext("Programme"),
    )
    return _download(body, content_type="application/pdf", filename=f"{slug}-programme.pdf")


def _agenda_registration(request: HttpRequest, token: str | None, slug: str | None):
    if token:
        return _token_registration(token)
    if not request.user.is_authenticated:
        raise Http404
    registration = participant_registration(
        congress=congress_for_request(request, slug, queryset=congresses_with_tracks()),
        user=request.user,
    )
    if registration is None:
        raise Http404
    return registration


def agenda_ical(request: HttpRequest, token: str | None = None, slug: str | None = None):
    registration = _agenda_registration(request, token, slug)
    congress = registration.congress
    body = render_calendar(
        congress=congress,
        sessions=agenda_sessions(registration=registration),
        name=gettext("My agenda: %(congress)s")
        % {"congress": localized(congress.name, congress.name_translations)},
    )
    return _download(body, content_type="text/calendar; charset=utf-8", filename="agenda.ics")


def agenda_pdf(request: HttpRequest, token: str | None = None, slug: str | None = None):
    registration = _agenda_registration(request, token, slug)
    body = render_programme_pdf(
        congress=registration.congress,
        sessions=agenda_sessions(registration=registration),
        title=gettext("My agenda"),
    )
    return _download(body, content_type="application/pdf", filename="agenda.pdf")
