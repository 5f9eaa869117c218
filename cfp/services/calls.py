"""Opening and closing a call for participation from the organiser's pages."""

import datetime

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cfp.models import CallForParticipation
from common.exceptions import ConflictError
from congress.services import record_audit


class CallCannotOpen(ConflictError):
    code = "call_cannot_open"
    default_message = _(
        "This call's closing time has passed: set a later closing time, then open it."
    )


class CallNotOpen(ConflictError):
    code = "call_not_open"
    default_message = _("This call is not open: there is nothing to close.")


def open_call(
    *,
    call: CallForParticipation,
    actor: AbstractBaseUser | AnonymousUser | None,
    now: datetime.datetime | None = None,
) -> CallForParticipation:
    """Open the call now (its opening time moves to now when it was later).

    Raises CallCannotOpen when the closing time has passed. Locks the call's row.
    An open call stays as it is.
    """
    now = now or timezone.now()
    with transaction.atomic():
        call = CallForParticipation.objects.select_for_update().get(pk=call.pk)
        if call.closes_at <= now:
            raise CallCannotOpen
        if call.opens_at > now:
            call.opens_at = now
            call.save(update_fields=["opens_at"])
            record_audit(action="cfp.call_opened", congress=call.congress, actor=actor, target=call)
    return call


def close_call(
    *,
    call: CallForParticipation,
    actor: AbstractBaseUser | AnonymousUser | None,
    now: datetime.datetime | None = None,
) -> CallForParticipation:
    """Close the call now: no proposal is accepted after this moment (its closing time moves
    to now). Raises CallNotOpen when it has not opened yet or is closed already."""
    now = now or timezone.now()
    with transaction.atomic():
        call = CallForParticipation.objects.select_for_update().get(pk=call.pk)
        if not call.is_open_at(now):
            raise CallNotOpen
        call.closes_at = now
        call.save(update_fields=["closes_at"])
        record_audit(action="cfp.call_closed", congress=call.congress, actor=actor, target=call)
    return call
