"""CSV and XLSX exports of the review dashboard (organisers only)."""

import io

import defusedcsv.csv as csv
from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook

from cfp.models import CallForParticipation, Submission
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


def dashboard_export(*, call: CallForParticipation, rows, file_format: str) -> HttpResponse:
    filename = f"{call.congress.slug}-{call.slug}-reviews.{file_format}"
    if file_format == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response.write("\ufeff")  # so spreadsheet programs read UTF-8 (Arabic names)
        writer = csv.writer(response)
        writer.writerow(dashboard_header())
        for submission in rows:
            writer.writerow(dashboard_row(submission))
    else:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(_("Reviews"))
        sheet.append(dashboard_header())
        for submission in rows:
            sheet.append(dashboard_row(submission))
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
