"""Pages for data protection officers: the audit log and participants' erasure requests
(only users holding CongressRole DATA_PROTECTION for the congress, or superusers, see them;
to anyone else the pages do not exist: 404); and the participant's own erasure request page,
reached from their self-service page.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from congress.audit import audit_actions_for, audit_events_for, record_personal_data_access
from congress.permissions import Role, congress_for_request
from privacy.audit_display import audit_rows
from privacy.erasure import ErasureNotPending, decide_erasure_request, request_erasure
from privacy.models import ErasureRequest
from registrations.self_service import registration_for_access_token

AUDIT_PAGE_SIZE = 50


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("Action"), required=False)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, actions: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", gettext("All actions"))] + [
            (action, action) for action in actions
        ]


@login_required
def audit_log(request: HttpRequest, slug: str) -> HttpResponse:
    """The congress's audit trail, newest first, filtered by action and dates. Read-only."""
    congress = congress_for_request(request, slug, Role.DATA_PROTECTION)
    form = AuditFilterForm(request.GET or None, actions=audit_actions_for(congress=congress))
    filters: dict = {}
    if form.is_valid():
        filters = {key: value for key, value in form.cleaned_data.items() if value}
    events = audit_events_for(
        congress=congress,
        action=filters.get("action", ""),
        since=filters.get("since"),
        until=filters.get("until"),
    )
    page = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "privacy/audit_log.html",
        {
            "congress": congress,
            "form": form,
            "page": page,
            "rows": audit_rows(page),
            "query": _query_without_page(request),
        },
    )


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
def erasure_requests(request: HttpRequest, slug: str) -> HttpResponse:
    """Pending and decided erasure requests that came through this congress."""
    congress = congress_for_request(request, slug, Role.DATA_PROTECTION)
    requests = list(
        ErasureRequest.objects.filter(congress=congress)
        .select_related("person", "decided_by")
        .order_by("status", "requested_at")
    )
    record_personal_data_access(
        request=request,
        congress=congress,
        kind="list",
        count=len(requests),
    )
    return render(
        request, "privacy/erasure_requests.html", {"congress": congress, "requests": requests}
    )


@login_required
@require_POST
def decide_erasure(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    congress = congress_for_request(request, slug, Role.DATA_PROTECTION)
    erasure_request = get_object_or_404(ErasureRequest, pk=pk, congress=congress)
    confirm = request.POST.get("decision") == "confirm"
    try:
        decide_erasure_request(erasure_request=erasure_request, actor=request.user, confirm=confirm)
    except ErasureNotPending as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            gettext("The personal data was erased.")
            if confirm
            else gettext("The request was rejected."),
        )
    return redirect("privacy:erasure-requests", slug=congress.slug)


def erasure_request_page(request: HttpRequest, token: str) -> HttpResponse:
    """GET explains what erasure means; POST records the request for the data protection
    officers of the registration's congress to confirm."""
    registration = registration_for_access_token(token=token)
    if registration is None or registration.person.erased_at is not None:
        raise Http404
    erasure_request = None
    if request.method == "POST":
        erasure_request = request_erasure(
            person=registration.person, congress=registration.congress
        )
    return render(
        request,
        "privacy/erasure_request.html",
        {"registration": registration, "erasure_request": erasure_request},
    )
