"""Organiser pages (mailings, outbox, reminders) and the public unsubscribe page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.exceptions import DomainError
from congress.audit import record_personal_data_access
from congress.permissions import Role, congress_for_request
from members.models import Person
from messaging import queries, services
from messaging.forms import MailingForm, ReminderSettingsForm
from messaging.models import Mailing
from messaging.reminders import reminder_settings_for

PREVIEW_CHOICES = 50  # people offered in the "preview as" list


@login_required
def mailings(request: HttpRequest, slug: str) -> HttpResponse:
    """The mailing history: subject, who sent it, when, and how many in each state."""
    congress = congress_for_request(request, slug, Role.ORGANISER)
    rows = list(queries.mailings_with_counts(congress=congress))
    return render(request, "messaging/mailings.html", {"congress": congress, "mailings": rows})


def _audience_summary(form: MailingForm) -> dict:
    resolved = services.count_audience(
        congress=form.congress,
        audience=form.audience(),
        is_about_registration=form.cleaned_data.get("is_about_registration", False),
    )
    visible_ids = [m.person_id for m in resolved.members if not m.is_protected][:PREVIEW_CHOICES]
    people = list(Person.objects.filter(pk__in=visible_ids).order_by("latin_name", "name"))
    return {"resolved": resolved, "preview_people": people}


@login_required
def mailing_new(request: HttpRequest, slug: str) -> HttpResponse:
    """Compose a mailing: audience, count, preview, test send to oneself, send or schedule."""
    congress = congress_for_request(request, slug, Role.ORGANISER)
    form = MailingForm(request.POST or None, congress=congress)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if "test" in request.POST:
                services.send_test_message(
                    congress=congress,
                    subjects=data["subject"],
                    bodies=data["body"],
                    user=request.user,
                    language=request.LANGUAGE_CODE,
                )
                messages.success(
                    request,
                    _("A test message is on its way to %(email)s.") % {"email": request.user.email},
                )
            else:
                mailing = services.create_mailing(
                    congress=congress,
                    audience=form.audience(),
                    subjects=data["subject"],
                    bodies=data["body"],
                    is_about_registration=data["is_about_registration"],
                    send_at=data.get("send_at"),
                    actor=request.user,
                )
                return redirect("messaging:outbox", slug=congress.slug, pk=mailing.pk)
        except DomainError as error:
            form.add_error(None, str(error.message))
    return render(request, "messaging/mailing_new.html", {"congress": congress, "form": form})


@login_required
def mailing_count(request: HttpRequest, slug: str) -> HttpResponse:
    """htmx: how many people the audience reaches now, and whom to preview as."""
    congress = congress_for_request(request, slug, Role.ORGANISER)
    form = MailingForm(request.GET, congress=congress)
    form.is_valid()  # the audience fields are all optional; text errors do not matter here
    for name in ("subject", "body", "send_at"):
        form.errors.pop(name, None)
    if form.errors:
        return render(request, "messaging/_count.html", {"form": form, "invalid": True})
    context = {"congress": congress, "form": form, **_audience_summary(form)}
    record_personal_data_access(
        request=request, congress=congress, kind="list", count=len(context["preview_people"])
    )
    return render(request, "messaging/_count.html", context)


@login_required
@require_POST
def mailing_preview(request: HttpRequest, slug: str) -> HttpResponse:
    """htmx: the message as the chosen person would receive it (nothing is sent)."""
    congress = congress_for_request(request, slug, Role.ORGANISER)
    form = MailingForm(request.POST, congress=congress)
    person = Person.objects.filter(
        pk=request.POST.get("preview_person") or 0, registrations__congress=congress
    ).first()
    if not form.is_valid() or person is None:
        return render(request, "messaging/_preview.html", {"form": form, "person": person})
    data = form.cleaned_data
    try:
        message = services.preview_message(
            congress=congress,
            subjects=data["subject"],
            bodies=data["body"],
            person=person,
            is_about_registration=data["is_about_registration"],
        )
    except DomainError as error:
        return render(request, "messaging/_preview.html", {"error": str(error.message)})
    record_personal_data_access(request=request, congress=congress, kind="view", count=1)
    return render(request, "messaging/_preview.html", {"message": message, "person": person})


@login_required
def outbox(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """One mailing's recipients and their state; protected participants are not named."""
    congress = congress_for_request(request, slug, Role.ORGANISER)
    mailing = get_object_or_404(
        Mailing.objects.select_related("created_by"), congress=congress, pk=pk
    )
    rows = list(queries.outbox_rows(mailing=mailing))
    record_personal_data_access(
        request=request, congress=congress, kind="list", count=len(rows), target=mailing
    )
    counts = services.counts_by_state(mailing=mailing)
    return render(
        request,
        "messaging/outbox.html",
        {"congress": congress, "mailing": mailing, "rows": rows, "counts": counts},
    )


@login_required
@require_POST
def outbox_retry(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    congress = congress_for_request(request, slug, Role.ORGANISER)
    mailing = get_object_or_404(Mailing, congress=congress, pk=pk)
    count = services.retry_failed(mailing=mailing, actor=request.user)
    messages.success(request, _("Failed messages queued again: %(count)s.") % {"count": count})
    return redirect("messaging:outbox", slug=congress.slug, pk=mailing.pk)


@login_required
def reminders(request: HttpRequest, slug: str) -> HttpResponse:
    """Switch the automatic reminders on or off."""
    congress = congress_for_request(request, slug, Role.ORGANISER)
    form = ReminderSettingsForm(
        request.POST or None, instance=reminder_settings_for(congress=congress)
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The reminders are saved."))
        return redirect("messaging:reminders", slug=congress.slug)
    return render(request, "messaging/reminders.html", {"congress": congress, "form": form})


def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """Public, no login: a button (mail scanners follow links, so GET changes nothing)."""
    done = None
    if request.method == "POST":
        done = services.unsubscribe(token=token)
        if done is None:
            return render(request, "messaging/unsubscribe.html", {"unknown": True}, status=404)
    return render(request, "messaging/unsubscribe.html", {"done": done})
