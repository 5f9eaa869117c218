"""Grant applications, reviews, awards drawn on donor budget lines, and refusals."""

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from common.regions import region_of
from congress.models import Congress
from congress.services import record_audit
from registrations.models import Registration
from registrations.services.waivers import waive_outstanding_fee
from travel.exceptions import (
    AlreadyApplied,
    ApplicationsClosed,
    BudgetExceeded,
    DecisionNotAllowed,
    NotEligible,
    RestrictionNotMet,
)
from travel.models import (
    Award,
    BudgetLine,
    CostType,
    GrantApplication,
    GrantProgramme,
    GrantQuestion,
    GrantRequestItem,
    GrantReview,
)
from travel.notifications import send_award_letter_on_commit, send_refusal_on_commit


@dataclass(frozen=True)
class RequestedItem:
    cost_type: str
    amount_minor: int
    nights: int = 0


@dataclass(frozen=True)
class AwardLine:
    budget_line: BudgetLine
    cost_type: str
    amount_minor: int


def save_grant_settings(
    *,
    congress: Congress,
    is_open: bool,
    deadline: datetime.datetime | None,
    introduction: dict[str, str],
    actor: AbstractBaseUser,
) -> GrantProgramme:
    programme, _created = GrantProgramme.objects.get_or_create(congress=congress)
    programme.is_open = is_open
    programme.deadline = deadline
    languages = congress.working_languages or ["en"]
    programme.introduction = next(
        (introduction[code] for code in languages if introduction.get(code)), ""
    )
    programme.introduction_translations = introduction
    programme.save()
    record_audit(action="travel.settings_changed", congress=congress, actor=actor, target=programme)
    return programme


def applications_are_open(*, congress: Congress, now: datetime.datetime | None = None) -> bool:
    programme = GrantProgramme.objects.filter(congress=congress).first()
    if programme is None or not programme.is_open:
        return False
    now = now or timezone.now()
    return programme.deadline is None or now <= programme.deadline


def _clean_answers(congress: Congress, answers: dict) -> dict[str, str]:
    cleaned = {}
    missing = []
    for question in GrantQuestion.objects.filter(congress=congress):
        text = str(answers.get(str(question.pk), "") or "").strip()[:2000]
        if text:
            cleaned[str(question.pk)] = text
        elif question.is_required:
            missing.append(question.label)
    if missing:
        raise RestrictionNotMet(
            _("Please answer every required question: %(questions)s")
            % {"questions": ", ".join(missing)}
        )
    return cleaned


def apply_for_grant(
    *,
    registration: Registration,
    motivation: str,
    currency: str,
    items: list[RequestedItem],
    answers: dict | None = None,
    gender: str = "",
    now: datetime.datetime | None = None,
) -> GrantApplication:
    """Record a registrant's application, once per registration.

    Raises ApplicationsClosed after the deadline or when closed, NotEligible for a cancelled
    or rejected registration, AlreadyApplied for a second application.
    """
    congress = registration.congress
    if not applications_are_open(congress=congress, now=now):
        raise ApplicationsClosed()
    if not registration.is_active:
        raise NotEligible()
    cleaned_answers = _clean_answers(congress, answers or {})
    try:
        with transaction.atomic():
            application = GrantApplication.objects.create(
                congress=congress,
                registration=registration,
                motivation=motivation.strip(),
                currency=currency,
                answers=cleaned_answers,
                gender=gender,
            )
            GrantRequestItem.objects.bulk_create(
                GrantRequestItem(
                    application=application,
                    cost_type=item.cost_type,
                    amount_minor=item.amount_minor,
                    nights=item.nights,
                )
                for item in items
            )
    except IntegrityError:
        raise AlreadyApplied() from None
    record_audit(action="travel.applied", congress=congress, target=application)
    return application


def review_application(
    *, application: GrantApplication, reviewer: AbstractBaseUser, score: int, note: str
) -> GrantReview:
    """Record (or replace) the reviewer's score from 1 to 5 and note."""
    review, _created = GrantReview.objects.update_or_create(
        application=application,
        reviewer=reviewer,
        defaults={"score": score, "note": note.strip()},
    )
    return review


def _check_restrictions(line: BudgetLine, application: GrantApplication, cost_type: str) -> None:
    registration = application.registration
    if line.donor.congress_id != application.congress_id:
        raise RestrictionNotMet()
    if line.cost_types and cost_type not in line.cost_types:
        raise RestrictionNotMet(
            _("%(line)s does not pay for this cost type.") % {"line": line.name}
        )
    if line.regions and region_of(registration.person.country) not in line.regions:
        raise RestrictionNotMet(
            _("%(line)s does not fund people from this region.") % {"line": line.name}
        )
    category_ids = {category.pk for category in line.categories.all()}
    if category_ids and registration.category_id not in category_ids:
        raise RestrictionNotMet(
            _("%(line)s does not fund this registration category.") % {"line": line.name}
        )


def spent_on_line(line: BudgetLine) -> int:
    return Award.objects.filter(budget_line=line).aggregate(total=Sum("amount_minor"))["total"] or 0


def award_grant(
    *,
    application: GrantApplication,
    lines: list[AwardLine],
    actor: AbstractBaseUser,
    note: str = "",
    now: datetime.datetime | None = None,
) -> list[Award]:
    """Award money on one or more budget lines and e-mail the award letter.

    Each budget line is locked (`select_for_update`, in primary-key order) before its
    remaining money is counted, so two committee members awarding at the same moment can
    never overspend a line. Raises BudgetExceeded, RestrictionNotMet or DecisionNotAllowed.
    An award of the registration fee waives what the registration still owes.
    """
    now = now or timezone.now()
    if not lines:
        raise DecisionNotAllowed(_("Award at least one amount."))
    with transaction.atomic():
        application = (
            GrantApplication.objects.select_for_update()
            .select_related("registration__person", "congress")
            .get(pk=application.pk)
        )
        if application.status in (
            GrantApplication.Status.WITHDRAWN,
            GrantApplication.Status.REFUSED,
        ):
            raise DecisionNotAllowed()
        line_ids = sorted({line.budget_line.pk for line in lines})
        locked = {
            line.pk: line
            for line in BudgetLine.objects.select_for_update()
            .select_related("donor")
            .filter(pk__in=line_ids)
            .order_by("pk")
        }
        asked: dict[int, int] = {}
        for line in lines:
            budget_line = locked[line.budget_line.pk]
            _check_restrictions(budget_line, application, line.cost_type)
            asked[budget_line.pk] = asked.get(budget_line.pk, 0) + line.amount_minor
        for pk, amount in asked.items():
            budget_line = locked[pk]
            if spent_on_line(budget_line) + amount > budget_line.total_minor:
                raise BudgetExceeded(
                    _("%(line)s does not have enough money left for this award.")
                    % {"line": budget_line.name}
                )
        awards = Award.objects.bulk_create(
            Award(
                application=application,
                budget_line=locked[line.budget_line.pk],
                cost_type=line.cost_type,
                amount_minor=line.amount_minor,
                created_by=actor,
            )
            for line in lines
        )
        application.status = GrantApplication.Status.AWARDED
        application.decided_at = now
        application.decided_by = actor
        application.decision_note = note.strip()
        application.save(
            update_fields=["status", "decided_at", "decided_by", "decision_note", "updated_at"]
        )
        if any(line.cost_type == CostType.REGISTRATION_FEE for line in lines):
            waive_outstanding_fee(
                registration=application.registration, reason="travel_grant", actor=actor, now=now
            )
        record_audit(
            action="travel.awarded",
            congress=application.congress,
            actor=actor,
            target=application,
            detail={"awards": [award.pk for award in awards]},
        )
        send_award_letter_on_commit(application)
    return awards


def refuse_application(
    *, application: GrantApplication, actor: AbstractBaseUser, note: str = ""
) -> GrantApplication:
    """Refuse an application that has no award yet and tell the applicant."""
    with transaction.atomic():
        application = GrantApplication.objects.select_for_update().get(pk=application.pk)
        if application.status != GrantApplication.Status.SUBMITTED:
            raise DecisionNotAllowed()
        application.status = GrantApplication.Status.REFUSED
        application.decided_at = timezone.now()
        application.decided_by = actor
        application.decision_note = note.strip()
        application.save(
            update_fields=["status", "decided_at", "decided_by", "decision_note", "updated_at"]
        )
        record_audit(
            action="travel.refused", congress=application.congress, actor=actor, target=application
        )
        send_refusal_on_commit(application)
    return application
