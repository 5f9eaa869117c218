"""An accepted call-for-participation submission becomes a draft programme session.

The submission
keeps the id of the session it became (Submission.programme_session_id): accepting twice, or
two workers receiving the signal at once, still makes one session (the submission row is
locked while the session is made).
"""

import datetime

from django.db import transaction

from cfp.models import Submission, SubmissionType
from sessions.models import Session, SessionSpeaker

SESSION_KINDS = {
    SubmissionType.TALK: Session.Kind.PANEL,
    SubmissionType.PANEL: Session.Kind.PANEL,
    SubmissionType.WORKSHOP: Session.Kind.WORKSHOP,
    SubmissionType.TRAINING: Session.Kind.TRAINING,
    SubmissionType.TESTIMONY: Session.Kind.PLENARY,
    SubmissionType.SIDE_EVENT: Session.Kind.SIDE_EVENT,
    SubmissionType.POSTER: Session.Kind.SIDE_EVENT,
}
DRAFT_DURATION = datetime.timedelta(minutes=90)


def _placeholder_start(submission: Submission) -> datetime.datetime:
    # A draft has no slot yet; it starts on the congress's first morning until scheduled.
    congress = submission.congress
    return datetime.datetime.combine(
        congress.starts_on, datetime.time(9, 0), tzinfo=congress.tzinfo
    )


def create_draft_session(*, submission: Submission) -> Session:
    """The draft session of an accepted submission, made once, with its speakers.

    Speakers are the submitter then the co-authors, in order (members.Person rows).
    """
    with transaction.atomic():
        locked = (
            Submission.objects.select_for_update(of=("self",))
            .select_related("congress")
            .get(pk=submission.pk)
        )
        if locked.programme_session_id is not None:
            existing = Session.objects.filter(pk=locked.programme_session_id).first()
            if existing is not None:
                return existing
        starts_at = _placeholder_start(locked)
        session = Session.objects.create(
            congress=locked.congress,
            track_id=locked.track_id,
            kind=SESSION_KINDS.get(locked.submission_type, Session.Kind.WORKSHOP),
            status=Session.Status.DRAFT,
            title=locked.title,
            description=locked.abstract,
            starts_at=starts_at,
            ends_at=starts_at + DRAFT_DURATION,
            floor_language=locked.language,
        )
        people = [locked.submitter_id]
        people += list(
            locked.co_authors.order_by("position", "id").values_list("person_id", flat=True)
        )
        SessionSpeaker.objects.bulk_create(
            [
                SessionSpeaker(session=session, person_id=person_id, position=position)
                for position, person_id in enumerate(dict.fromkeys(people))
            ]
        )
        locked.programme_session_id = session.pk
        locked.save(update_fields=["programme_session_id"])
    return session
