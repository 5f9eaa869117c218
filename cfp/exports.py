"""The review dashboard as a sheet for CSV and XLSX exports (organisers only)."""

from django.utils.translation import gettext as _

from cfp.models import Submission
from common.exports import Sheet
from common.i18n import localized


def dashboard_header() -> list[str]:
    return [
        _("ID"),
        _("Title"),
        _("Type"),
        _("Track"),
        _("Language"),
        _("Country"),
        _("Submitter"),
        _("Organisation"),
        _("Status"),
        _("Reviews"),
        _("Mean score"),
        _("Spread"),
        _("Scores"),
        _("Comments for the committee"),
    ]


def dashboard_row(submission: Submission) -> list:
    reviews = list(submission.reviews.all())
    return [
        submission.pk,
        submission.title,
        submission.get_submission_type_display(),
        localized(submission.track.name, submission.track.name_translations)
        if submission.track
        else "",
        submission.language,
        str(submission.submitter.country or ""),
        submission.submitter.name,
        submission.organisation.name if submission.organisation else submission.organisation_name,
        submission.get_status_display(),
        submission.review_count,
        round(submission.score_mean, 2) if submission.score_mean is not None else "",
        submission.score_spread if submission.score_spread is not None else "",
        " ".join(str(review.score) for review in reviews),
        " | ".join(
            review.comment_for_committee for review in reviews if review.comment_for_committee
        ),
    ]


def dashboard_sheet(rows: list[Submission]) -> Sheet:
    """The dashboard's rows, rendered now (in the request's language) for common.exports."""
    return Sheet(
        title=_("Reviews"),
        header=dashboard_header(),
        rows=[dashboard_row(submission) for submission in rows],
    )
