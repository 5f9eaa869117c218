"""Organisers' programme pages: the timetable editor (grid per day, rooms as columns, drag and
drop, conflict warnings), the session form, publishing and unpublishing the programme.
Views parse, check permission, call one service and render; times are the congress's."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_POST

from common.exceptions import DomainError
from common.i18n import localized
from congress.permissions import Role, congress_for_request
from sessions import services
from sessions.forms import ScheduleForm, SessionForm, channel_formset
from sessions.models import Session
from sessions.services.timetable import check_session, timetable_sessions
from sessions.timetable_grid import build_timetable


def _editable_session(congress, pk: int) -> Session:
    return get_object_or_404(
        Session.objects.select_related("congress", "room", "track").exclude(
            status=Session.Status.CANCELLED
        ),
        pk=pk,
        congress=congress,
    )


@login_required
def timetable(request: HttpRequest, slug: str) -> HttpResponse:
    """The timetable editor: a grid per day with the rooms as columns, the sessions not in a
    room yet beside it, every conflict listed; publish or unpublish the programme."""
    congress = congress_for_request(request, slug, Role.ORGANISER)
    rooms = list(congress.rooms.order_by("position", "name"))
    sessions = timetable_sessions(congress=congress)
    warnings = services.check_timetable(congress=congress, sessions=sessions)
    context = {
        "congress": congress,
        "timetable": build_timetable(
            congress=congress, rooms=rooms, sessions=sessions, warnings=warnings
        ),
        "draft_count": sum(1 for s in sessions if s.status == Session.Status.DRAFT),
        "published_count": sum(1 for s in sessions if s.status == Session.Status.PUBLISHED),
    }
    return render(request, "sessions/backoffice/timetable.html", context)


def _moved_message(session: Session) -> str:
    if session.room is None:
        return gettext("“%(title)s” is back among the sessions to place.") % {
            "title": localized(session.title, session.title_translations)
        }
    tz = session.congress.tzinfo
    starts_at, ends_at = localtime(session.starts_at, tz), localtime(session.ends_at, tz)
    return gettext("“%(title)s” is now in %(room)s, %(day)s, %(start)s–%(end)s.") % {  # noqa: RUF001 (a time range takes an en dash)
        "title": localized(session.title, session.title_translations),
        "room": session.room.name,
        "day": date_format(starts_at, "l j F"),
        "start": date_format(starts_at, "H:i"),
        "end": date_format(ends_at, "H:i"),
    }


@login_required
@require_POST
def schedule(request: HttpRequest, slug: str, pk: int) -> JsonResponse:
    """The editor's drop (move or resize): saves the new room and times and answers with the
    conflicts that now involve the session, for the page to show at once."""
    congress = congress_for_request(request, slug, Role.ORGANISER)
    session = _editable_session(congress, pk)
    form = ScheduleForm(request.POST, congress=congress)
    if not form.is_valid():
        errors = [str(error) for field in form.errors.values() for error in field]
        return JsonResponse({"saved": False, "errors": errors}, status=400)
    try:
        session = services.schedule_session(
            session=session,
            room=form.cleaned_data["room"],
            starts_at=form.cleaned_data["starts_at"],
            ends_at=form.cleaned_data["ends_at"],
            actor=request.user,
        )
    except DomainError as error:
        return JsonResponse({"saved": False, "errors": [str(error)]}, status=400)
    warnings = check_session(session=session)
    return JsonResponse(
        {
            "saved": True,
            "message": _moved_message(session),
            "warnings": [{"code": w.code, "message": w.message} for w in warnings],
        }
    )


@login_required
def session_form(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    """Create or change a session: the keyboard way to place it, too (room, local times)."""
    congress = congress_for_request(request, slug, Role.ORGANISER)
    session = _editable_session(congress, pk) if pk is not None else Session(congress=congress)
    form = SessionForm(request.POST or None, instance=session, congress=congress)
    channels = channel_formset(
        request.POST or None,
        congress=congress,
        channels=list(session.interpretation_channels.values_list("language", "channel"))
        if pk is not None
        else [],
    )
    if request.method == "POST" and form.is_valid() and channels.is_valid():
        try:
            session = services.save_session(
                session=form.save(commit=False), channels=channels.channels, actor=request.user
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                gettext("“%(title)s” is saved.")
                % {"title": localized(session.title, session.title_translations)},
            )
            for warning in check_session(session=session):
                messages.warning(request, warning.message)
            return redirect("sessions:timetable", slug=congress.slug)
    context = {
        "congress": congress,
        "form": form,
        "channels": channels,
        "session": session if pk else None,
    }
    return render(request, "sessions/backoffice/session_form.html", context)


@login_required
@require_POST
def publish(request: HttpRequest, slug: str, action: str) -> HttpResponse:
    """Publish every draft session, or take every published one back to draft."""
    congress = congress_for_request(request, slug, Role.ORGANISER)
    if action == "unpublish":
        count = services.unpublish_programme(congress=congress, actor=request.user)
        text = ngettext(
            "%(count)s session is no longer public.",
            "%(count)s sessions are no longer public.",
            count,
        )
    else:
        count = services.publish_programme(congress=congress, actor=request.user)
        text = ngettext(
            "%(count)s session is now public.", "%(count)s sessions are now public.", count
        )
    messages.success(request, text % {"count": count})
    return redirect("sessions:timetable", slug=congress.slug)
