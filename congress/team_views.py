"""The team page of a congress (organisers invite people to roles and revoke roles) and the
invitee's one-time link (set a password, or sign in, and join)."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.exceptions import DomainError
from congress.audit import record_personal_data_access
from congress.forms import AcceptInvitationForm, TeamInviteForm
from congress.models import CongressRole, TeamInvitation
from congress.permissions import Role, congress_for_request, has_congress_role
from congress.services import revoke_congress_role
from congress.team import (
    accept_invitation,
    account_for_invitation,
    cancel_invitation,
    invitation_for_token,
    invite_to_team,
    pending_invitations,
    team_members,
)

# The accept page reads the token from the session, not the URL, so the token never reaches
# a Referer header or an access log line of the page the invitee fills in (as Django's
# password reset does).
SESSION_KEY = "_team_invitation_token"


@login_required
def team(request: HttpRequest, slug: str) -> HttpResponse:
    congress = congress_for_request(request, slug, Role.ORGANISER)
    form = TeamInviteForm(request.POST or None, congress=congress)
    if request.method == "POST" and form.is_valid():
        try:
            invite_to_team(
                congress=congress,
                email=form.cleaned_data["email"],
                roles=form.cleaned_data["roles"],
                language=form.cleaned_data["language"],
                invited_by=request.user,
                accept_url_base=f"{request.scheme}://{request.get_host()}",
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The invitation was sent."))
            return redirect("congress:team", slug=congress.slug)
    members = team_members(congress=congress)
    invitations = list(pending_invitations(congress=congress))
    record_personal_data_access(
        request=request, congress=congress, kind="list", count=len(members) + len(invitations)
    )
    with timezone.override(congress.tzinfo):
        return render(
            request,
            "congress/backoffice/team.html",
            {"congress": congress, "form": form, "members": members, "invitations": invitations},
        )


@login_required
@require_POST
def team_revoke(request: HttpRequest, slug: str, user_id: int, role: str) -> HttpResponse:
    congress = congress_for_request(request, slug, Role.ORGANISER)
    congress_role = get_object_or_404(
        CongressRole.objects.select_related("user"), congress=congress, user_id=user_id, role=role
    )
    try:
        revoke_congress_role(
            congress=congress, user=congress_role.user, role=role, revoked_by=request.user
        )
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(user)s is no longer %(role)s.")
            % {"user": congress_role.user.get_username(), "role": congress_role.get_role_display()},
        )
    return redirect("congress:team", slug=congress.slug)


@login_required
@require_POST
def team_cancel(request: HttpRequest, slug: str, invitation_id: int) -> HttpResponse:
    congress = congress_for_request(request, slug, Role.ORGANISER)
    invitation = get_object_or_404(TeamInvitation, congress=congress, pk=invitation_id)
    cancel_invitation(invitation=invitation, cancelled_by=request.user)
    messages.success(request, _("The invitation was cancelled; its link no longer works."))
    return redirect("congress:team", slug=congress.slug)


def team_accept_link(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the e-mail: keep the token in the session and move to a clean URL."""
    request.session[SESSION_KEY] = token
    return redirect("congress:team_accept")


def team_accept(request: HttpRequest) -> HttpResponse:
    token = request.session.get(SESSION_KEY, "")
    try:
        invitation = invitation_for_token(token)
    except DomainError as error:
        return render(request, "congress/team_accept.html", {"error": str(error)}, status=410)
    existing = account_for_invitation(invitation)
    signed_in = request.user.is_authenticated
    form = None
    if existing is None and not signed_in:
        form = AcceptInvitationForm(request.POST or None, email=invitation.email)
    if request.method == "POST":
        user = request.user if signed_in else None
        if user is None and (form is None or not form.is_valid()):
            return _accept_page(request, invitation, form, existing)
        try:
            user = accept_invitation(
                token=token,
                user=user,
                password=form.cleaned_data["password1"] if form is not None else "",
            )
        except DomainError as error:
            messages.error(request, str(error))
            return _accept_page(request, invitation, form, existing)
        request.session.pop(SESSION_KEY, None)
        if not signed_in:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome to the team."))
        return redirect(_landing(user, invitation))
    return _accept_page(request, invitation, form, existing)


def _accept_page(request, invitation, form, existing) -> HttpResponse:
    return render(
        request,
        "congress/team_accept.html",
        {
            "invitation": invitation,
            "congress": invitation.congress,
            "roles": [Role(role).label for role in invitation.roles],
            "form": form,
            "needs_login": existing is not None and not request.user.is_authenticated,
            "login_url": f"{reverse('login')}?next={reverse('congress:team_accept')}",
        },
    )


def _landing(user, invitation: TeamInvitation) -> str:
    congress = invitation.congress
    if has_congress_role(user, congress, *Role.values):
        return reverse("congress:manage", kwargs={"slug": congress.slug})
    return reverse("congress:home")
