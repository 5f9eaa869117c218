"""Pages for calls for participation: the public form and private link, the reviewers' pages
and the organisers' dashboard. Views parse, check permission, call one service, render."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from cfp import exports as cfp_exports
from cfp.forms import (
    AssignForm,
    ConflictForm,
    DashboardFilterForm,
    DecisionForm,
    ReviewForm,
    SubmissionForm,
)
from cfp.models import (
    CallForParticipation,
    Question,
    Review,
    ReviewAssignment,
    Submission,
    SubmissionFile,
)
from cfp.queries import (
    assigned_submissions,
    call_for_form,
    calls_of,
    open_calls,
    review_dashboard,
    submission_detail,
)
from cfp.services import (
    SubmissionInvalid,
    assign_reviewer,
    assign_reviewers_automatically,
    decide_submissions,
    declare_conflict,
    queue_decision_emails,
    submission_for_access_token,
    submit_proposal,
    submit_review,
    update_submission,
    withdraw_submission,
)
from common.exceptions import DomainError
from common.exports import FORMATS, export_response
from congress.audit import record_personal_data_access
from congress.models import CongressRole
from congress.permissions import Role, congress_for_request, has_congress_role

# --- public ---------------------------------------------------------------------------------


def cfp_calls(request: HttpRequest, slug: str) -> HttpResponse:
    congress = congress_for_request(request, slug)
    calls = list(open_calls(congress=congress))
    return render(
        request,
        "cfp/calls.html",
        {
            "congress": congress,
            "calls": calls,
            "is_reviewer": has_congress_role(request.user, congress, Role.REVIEWER),
            "is_organiser": has_congress_role(request.user, congress, Role.ORGANISER),
        },
    )


def cfp_submit(request: HttpRequest, slug: str, call_slug: str) -> HttpResponse:
    congress = congress_for_request(request, slug)
    call = get_object_or_404(
        call_for_form(CallForParticipation.objects.filter(congress=congress)), slug=call_slug
    )
    is_open = call.is_open_at(timezone.now())
    form = SubmissionForm(request.POST or None, request.FILES or None, call=call)
    if request.method == "POST" and is_open and form.is_valid():
        try:
            _submission, token = submit_proposal(
                call=call,
                content=form.content,
                interface_language=translation.get_language() or "en",
            )
        except SubmissionInvalid as error:
            form.add_service_errors(error.errors)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Thank you: your proposal was received. We sent your private link by e-mail."),
            )
            return redirect("cfp:submission", token=token)
    return render(
        request,
        "cfp/submit.html",
        {"congress": congress, "call": call, "form": form, "is_open": is_open},
    )


def cfp_submission(request: HttpRequest, token: str) -> HttpResponse:
    submission = submission_for_access_token(token=token)
    if submission is None:
        raise Http404
    call = call_for_form(CallForParticipation.objects.all()).get(pk=submission.call_id)
    submission.call = call
    can_edit = submission.status == Submission.Status.SUBMITTED and call.is_open_at(timezone.now())
    form = None
    if can_edit:
        form = SubmissionForm(
            request.POST or None, request.FILES or None, call=call, submission=submission
        )
    if request.method == "POST":
        try:
            if request.POST.get("action") == "withdraw":
                withdraw_submission(submission=submission)
                messages.success(request, _("Your proposal was withdrawn."))
                return redirect("cfp:submission", token=token)
            if form is not None and form.is_valid():
                update_submission(submission=submission, content=form.content)
                messages.success(request, _("Your changes were saved."))
                return redirect("cfp:submission", token=token)
        except SubmissionInvalid as error:
            form.add_service_errors(error.errors)
        except DomainError as error:
            messages.error(request, str(error))
            return redirect("cfp:submission", token=token)
    detail = submission_detail().get(pk=submission.pk)
    return render(
        request,
        "cfp/submission.html",
        {
            "submission": detail,
            "call": call,
            "congress": submission.congress,
            "form": form,
            "can_edit": can_edit,
            "token": token,
            "reviews_for_submitter": [
                review.comment_for_submitter
                for review in detail.reviews.all()
                if review.comment_for_submitter and detail.decision_email_sent_at
            ],
        },
    )


def _file_response(stored: SubmissionFile) -> FileResponse:
    response = FileResponse(
        stored.file.open("rb"),
        as_attachment=True,
        filename=stored.original_name,
        content_type=stored.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


def cfp_submission_file(request: HttpRequest, token: str, file_id: int) -> FileResponse:
    submission = submission_for_access_token(token=token)
    if submission is None:
        raise Http404
    stored = get_object_or_404(SubmissionFile, pk=file_id, submission=submission)
    return _file_response(stored)


# --- staff files ------------------------------------------------------------------------------


@login_required
def cfp_file(request: HttpRequest, slug: str, file_id: int) -> FileResponse:
    """Organisers of the congress, or a reviewer assigned to the submission (and not when the
    call is anonymised and the file answers an identifying question)."""
    congress = congress_for_request(request, slug, Role.ORGANISER, Role.REVIEWER)
    stored = get_object_or_404(
        SubmissionFile.objects.select_related("submission__call"),
        pk=file_id,
        submission__congress=congress,
    )
    if not has_congress_role(request.user, congress, Role.ORGANISER):
        submission = stored.submission
        if not ReviewAssignment.objects.filter(
            submission=submission, reviewer=request.user
        ).exists():
            raise Http404
        hidden = (
            submission.call.is_anonymised
            and stored.answers.filter(question__is_identifying=True).exists()
        )
        if hidden:
            raise Http404
    return _file_response(stored)


# --- reviewers ------------------------------------------------------------------------------


@login_required
def cfp_reviews(request: HttpRequest, slug: str) -> HttpResponse:
    congress = congress_for_request(request, slug, Role.REVIEWER)
    submissions = list(assigned_submissions(reviewer=request.user, congress=congress))
    return render(request, "cfp/reviews.html", {"congress": congress, "submissions": submissions})


def _reviewer_answers(submission: Submission) -> list:
    answers = []
    for answer in submission.answers.all():
        if submission.call.is_anonymised and answer.question.is_identifying:
            continue
        answers.append(answer)
    return answers


@login_required
def cfp_review(request: HttpRequest, slug: str, submission_id: int) -> HttpResponse:
    congress = congress_for_request(request, slug, Role.REVIEWER)
    submission = get_object_or_404(
        submission_detail(assigned_submissions(reviewer=request.user, congress=congress)),
        pk=submission_id,
    )
    existing = Review.objects.filter(submission=submission, reviewer=request.user).first()
    initial = {}
    if existing is not None:
        initial = {
            "score": existing.score,
            "comment_for_committee": existing.comment_for_committee,
            "comment_for_submitter": existing.comment_for_submitter,
        }
    is_review_post = request.method == "POST" and request.POST.get("action") != "conflict"
    form = ReviewForm(
        request.POST if is_review_post else None, call=submission.call, initial=initial
    )
    conflict_form = ConflictForm(
        request.POST if request.method == "POST" and not is_review_post else None
    )
    if request.method == "POST":
        try:
            if is_review_post and form.is_valid():
                submit_review(submission=submission, reviewer=request.user, **form.cleaned_data)
                messages.success(request, _("Your review was saved."))
                return redirect("cfp:reviews", slug=slug)
            if not is_review_post and conflict_form.is_valid():
                declare_conflict(
                    submission=submission,
                    reviewer=request.user,
                    reason=conflict_form.cleaned_data["reason"],
                )
                messages.success(
                    request, _("Your conflict of interest was recorded; the proposal was removed.")
                )
                return redirect("cfp:reviews", slug=slug)
        except DomainError as error:
            messages.error(request, str(error))
    return render(
        request,
        "cfp/review.html",
        {
            "congress": congress,
            "submission": submission,
            "answers": _reviewer_answers(submission),
            "is_anonymised": submission.call.is_anonymised,
            "form": form,
            "conflict_form": conflict_form,
        },
    )


# --- organisers -----------------------------------------------------------------------------


@login_required
def cfp_manage(request: HttpRequest, slug: str) -> HttpResponse:
    congress = congress_for_request(request, slug, Role.ORGANISER)
    calls = list(calls_of(congress=congress).order_by("opens_at", "title"))
    return render(
        request,
        "cfp/manage.html",
        {"congress": congress, "calls": calls, "now": timezone.now()},
    )


def _organiser_call(request: HttpRequest, slug: str, call_slug: str):
    congress = congress_for_request(request, slug, Role.ORGANISER)
    call = get_object_or_404(
        CallForParticipation.objects.filter(congress=congress).prefetch_related("tracks"),
        slug=call_slug,
    )
    return congress, call


@login_required
def cfp_dashboard(request: HttpRequest, slug: str, call_slug: str) -> HttpResponseBase:
    congress, call = _organiser_call(request, slug, call_slug)
    filter_form = DashboardFilterForm(request.GET or None, call=call)
    rows = list(review_dashboard(call=call, **filter_form.filters()))
    export = request.GET.get("format")
    is_export = export in FORMATS
    record_personal_data_access(
        request=request,
        congress=congress,
        kind="export" if is_export else "list",
        filters=request.GET,
        count=len(rows),
        output_format=export if is_export else "",
    )
    if is_export:
        return export_response(
            sheets=[cfp_exports.dashboard_sheet(rows)],
            file_format=export,
            filename=f"{congress.slug}-{call.slug}-reviews",
        )
    return render(
        request,
        "cfp/dashboard.html",
        {
            "congress": congress,
            "call": call,
            "rows": rows,
            "filter_form": filter_form,
            "decision_form": DecisionForm(submission_ids=[row.pk for row in rows]),
            "query_string": request.GET.urlencode(),
        },
    )


@login_required
@require_POST
def cfp_decide(request: HttpRequest, slug: str, call_slug: str) -> HttpResponse:
    _congress, call = _organiser_call(request, slug, call_slug)
    ids = list(call.submissions.values_list("pk", flat=True))
    form = DecisionForm(request.POST, submission_ids=ids)
    if form.is_valid():
        try:
            decided = decide_submissions(
                call=call,
                submission_ids=form.cleaned_data["submissions"],
                decision=form.cleaned_data["decision"],
                actor=request.user,
            )
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("Decision recorded for %(count)s submissions.") % {"count": len(decided)}
            )
    else:
        messages.error(request, _("Choose a decision and at least one submission."))
    if (
        request.POST.get("from") == "submission"
        and len(form.cleaned_data.get("submissions", [])) == 1
    ):
        (submission_id,) = form.cleaned_data["submissions"]
        return redirect("cfp:submission_manage", slug=slug, submission_id=submission_id)
    return redirect("cfp:dashboard", slug=slug, call_slug=call_slug)


@login_required
@require_POST
def cfp_assign(request: HttpRequest, slug: str, call_slug: str) -> HttpResponse:
    _congress, call = _organiser_call(request, slug, call_slug)
    created = assign_reviewers_automatically(call=call, actor=request.user)
    messages.success(
        request,
        ngettext(
            "%(count)s review assignment was made.",
            "%(count)s review assignments were made.",
            len(created),
        )
        % {"count": len(created)},
    )
    return redirect("cfp:dashboard", slug=slug, call_slug=call_slug)


@login_required
@require_POST
def cfp_send_decisions(request: HttpRequest, slug: str, call_slug: str) -> HttpResponse:
    _congress, call = _organiser_call(request, slug, call_slug)
    count = queue_decision_emails(call=call, actor=request.user)
    messages.success(request, _("%(count)s decision e-mails are being sent.") % {"count": count})
    return redirect("cfp:dashboard", slug=slug, call_slug=call_slug)


@login_required
def cfp_submission_manage(request: HttpRequest, slug: str, submission_id: int) -> HttpResponse:
    congress = congress_for_request(request, slug, Role.ORGANISER)
    submission = get_object_or_404(
        submission_detail(Submission.objects.filter(congress=congress)).prefetch_related(
            "reviews__reviewer", "assignments__reviewer", "conflicts__reviewer"
        ),
        pk=submission_id,
    )
    reviewers = list(
        get_user_model()
        .objects.filter(
            reviewer_invitations__call=submission.call,
            congress_roles__congress=congress,
            congress_roles__role=CongressRole.Role.REVIEWER,
        )
        .distinct()
        .order_by("username")
    )
    form = AssignForm(request.POST or None, reviewers=reviewers)
    if request.method == "POST" and form.is_valid():
        reviewer = next(user for user in reviewers if user.pk == form.cleaned_data["reviewer"])
        try:
            assign_reviewer(submission=submission, reviewer=reviewer, actor=request.user)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The reviewer was assigned."))
        return redirect("cfp:submission_manage", slug=slug, submission_id=submission.pk)
    record_personal_data_access(
        request=request, congress=congress, kind="view", count=1, target=submission
    )
    return render(
        request,
        "cfp/submission_manage.html",
        {
            "congress": congress,
            "submission": submission,
            "assign_form": form,
            "decision_form": DecisionForm(submission_ids=[submission.pk]),
            "file_kind": Question.Kind.FILE,
        },
    )
