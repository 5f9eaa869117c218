"""Attendance PDFs drawn with common.pdf: one certificate (names in six scripts, median per
certificate), the participant's self-service download through the whole stack, and the
printable report of a congress with 300 participants in 40 organisations with mixed-script
names. The first CJK certificate of a process is measured apart ("cold": reportlab parses
the ~10 MB font file once); the other figures are warm. Run:
`python benchmarks/run.py attendance2`.
"""

import time

import harness

NAMES = [
    ("Zoë Łukasiewicz-Nguyễn", "fr"),
    ("محمد رضایی", "ar"),
    ("Мария Иванова", "en"),
    ("王小明", "en"),
    ("山田花子", "en"),
    ("김민준", "en"),
]
RUNS = 9


def _certificates():
    from attendance.models import Certificate
    from attendance.services import (
        close_congress,
        issue_certificates,
        set_certificate_threshold,
    )
    from tests.factories.attendance import at, scan, session_door
    from tests.factories.congress import CongressFactory, TrackFactory
    from tests.factories.registrations import RegistrationFactory

    congress = CongressFactory()
    track = TrackFactory(congress=congress, name="Documentation of violations")
    door = session_door(congress, at(9), at(11), track=track, kind="training")
    for name, language in NAMES:
        registration = RegistrationFactory(
            congress=congress, person__name=name, person__preferred_language=language
        )
        scan(registration, door, at(9))
    set_certificate_threshold(congress=congress, minutes=60)
    close_congress(congress=congress)
    issue_certificates(congress=congress)
    return list(
        Certificate.objects.filter(congress=congress).select_related(
            "congress", "registration__person", "registration__category"
        )
    )


def _report_congress():
    from badges.models import Checkpoint
    from tests.factories.attendance import at, scan
    from tests.factories.badges import CheckpointFactory
    from tests.factories.congress import CongressFactory
    from tests.factories.members import OrganisationFactory
    from tests.factories.registrations import RegistrationCategoryFactory, RegistrationFactory

    congress = CongressFactory()
    entrance = CheckpointFactory(congress=congress, kind=Checkpoint.Kind.ENTRANCE)
    categories = [
        RegistrationCategoryFactory(congress=congress, name=name)
        for name in ("Delegates", "مشاركون", "講演者", "Intervenants")
    ]
    organisations = [
        OrganisationFactory(name=f"{NAMES[index % len(NAMES)][0]} {index}") for index in range(40)
    ]
    for index in range(300):
        registration = RegistrationFactory(
            congress=congress,
            category=categories[index % len(categories)],
            person__organisation=organisations[index % len(organisations)],
        )
        if index % 3:
            scan(registration, entrance, at(8))
    return congress


def run() -> list[dict]:
    harness.setup_django()
    from django.test import Client
    from django.utils import translation

    from attendance.certificates import render_certificate_pdf
    from attendance.exports import report_pdf
    from attendance.queries import attendance_report
    from registrations.self_service import issue_access_token

    certificates = _certificates()
    started = time.perf_counter()
    render_certificate_pdf(certificate=certificates[3], base_url="http://bench/")  # Chinese
    cold_ms = (time.perf_counter() - started) * 1000
    for certificate in certificates:
        render_certificate_pdf(certificate=certificate, base_url="http://bench/")
    baseline = harness.baseline_ms(runs=RUNS)

    def all_certificates():
        for certificate in certificates:
            render_certificate_pdf(certificate=certificate, base_url="http://bench/")

    per_certificate = harness.median_ms(all_certificates, runs=RUNS) / len(certificates)
    client = Client()
    token = issue_access_token(registration=certificates[5].registration)
    download = harness.median_ms(lambda: client.get(f"/en/certificates/mine/{token}/"), runs=RUNS)
    congress = _report_congress()
    with translation.override("en"):
        report = harness.median_ms(
            lambda: report_pdf(attendance_report(congress=congress)), runs=RUNS
        )
    return [
        harness.figure(
            "certificate PDF, per certificate (6 scripts)",
            per_certificate,
            baseline,
            RUNS,
            target="< 50 ms",
            notes="warm fonts; median of the batch / 6",
        ),
        harness.figure(
            "first certificate in a process (cold CJK font)",
            cold_ms,
            baseline,
            1,
            notes="one run; fonts cached on disk, reportlab parses the CJK font once a process",
        ),
        harness.figure(
            "GET self-service certificate (Korean name)",
            download,
            baseline,
            RUNS,
            target="< 100 ms",
        ),
        harness.figure(
            "printable report PDF, 300 participants, 40 organisations",
            report,
            baseline,
            RUNS,
            target="< 1 s",
            notes="queries + PDF",
        ),
    ]


if __name__ == "__main__":
    for row in run():
        print(row)
