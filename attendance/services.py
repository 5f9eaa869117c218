"""Write side of attendance: closing a congress (person attendance, membership records),
the certificate threshold and issuing certificates, and the audit of personal exports."""

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.utils import timezone

from attendance import certificates as certificate_codes
from attendance.certificate_rules import CertificateRule, qualifies
from attendance.exceptions import CongressNotClosed
from attendance.models import (
    AttendanceClosure,
    Certificate,
    PersonAttendance,
    TrackAttendance,
)
from attendance.participation import record_participation
from attendance.queries import (
    AttendanceData,
    PersonFigures,
    is_online_registration,
    load_attendance_data,
    person_figures,
)
from common.tokens import hash_token, make_token
from congress.models import Congress
from congress.services import record_audit
from registrations.models import Registration

User = AbstractBaseUser | AnonymousUser | None


@dataclass(frozen=True)
class CloseResult:
    people: int
    present: int
    organisations: int
    certificates: int


def close_congress(
    *, congress: Congress, actor: User = None, now: datetime.datetime | None = None
) -> CloseResult:
    """Compute each registrant's attendance and feed the membership records.

    Guarantees: idempotent. Every figure is upserted by its natural key (registration;
    registration + track; congress + organisation) and rows that no longer apply are deleted,
    all in one transaction, so re-running after late corrections (a check-out, a corrected
    scan, a cancelled registration) replaces the figures without double counting. Locks the
    congress row first, so two closings of one congress run one after the other. Already
    issued certificates are brought up to date (and revoked under the threshold).
    """
    now = now or timezone.now()
    with transaction.atomic():
        congress = Congress.objects.select_for_update().get(pk=congress.pk)
        closure, _created = AttendanceClosure.objects.get_or_create(congress=congress)
        data = load_attendance_data(congress=congress)
        figures = person_figures(data)
        attendance_ids = _upsert_person_attendance(data, figures, now)
        _upsert_track_attendance(figures, attendance_ids)
        participation = record_participation(
            congress=congress, delegates=delegate_rows(data, figures)
        )
        certificates = 0
        if closure.certificates_enabled:
            certificates = _sync_certificates(congress, closure, figures, now)
        closure.closed_at = now
        closure.closed_by = actor if actor is not None and actor.is_authenticated else None
        closure.times_closed += 1
        closure.member_count = participation.member_count
        closure.save(update_fields=["closed_at", "closed_by", "times_closed", "member_count"])
        result = CloseResult(
            people=len(figures),
            present=sum(person.is_present for person in figures.values()),
            organisations=participation.organisations,
            certificates=certificates,
        )
        record_audit(
            action="attendance.closed",
            congress=congress,
            actor=actor,
            target=congress,
            detail={
                "people": result.people,
                "present": result.present,
                "organisations": result.organisations,
                "certificates": result.certificates,
            },
        )
    return result


def _upsert_person_attendance(
    data: AttendanceData, figures: dict[int, PersonFigures], now: datetime.datetime
) -> dict[int, int]:
    rows = []
    for registration_id, person in figures.items():
        registration = data.registrations[registration_id]
        rows.append(
            PersonAttendance(
                congress=data.congress,
                registration_id=registration_id,
                person_id=registration.person_id,
                organisation_id=registration.organisation_id,
                days_present=person.days_present,
                sessions_attended=person.sessions_attended,
                trainings_attended=person.trainings_attended,
                attended_minutes=person.attended_minutes,
                training_minutes=person.training_minutes,
                computed_at=now,
            )
        )
    PersonAttendance.objects.bulk_create(
        rows,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["registration"],
        update_fields=[
            "person",
            "organisation",
            "days_present",
            "sessions_attended",
            "trainings_attended",
            "attended_minutes",
            "training_minutes",
            "computed_at",
        ],
    )
    # Registrations cancelled since the last closing no longer count.
    stale = PersonAttendance.objects.filter(congress=data.congress).exclude(
        registration_id__in=list(figures)
    )
    TrackAttendance.objects.filter(attendance__in=stale).delete()
    stale.delete()
    return dict(
        PersonAttendance.objects.filter(congress=data.congress).values_list("registration_id", "id")
    )


def _upsert_track_attendance(
    figures: dict[int, PersonFigures], attendance_ids: dict[int, int]
) -> None:
    rows = [
        TrackAttendance(
            attendance_id=attendance_ids[registration_id],
            track_id=track_id,
            sessions_attended=sessions,
            minutes=seconds // 60,
        )
        for registration_id, person in figures.items()
        for track_id, (sessions, seconds) in person.tracks.items()
    ]
    TrackAttendance.objects.bulk_create(
        rows,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["attendance", "track"],
        update_fields=["sessions_attended", "minutes"],
    )
    keep = {(row.attendance_id, row.track_id) for row in rows}
    existing = TrackAttendance.objects.filter(attendance_id__in=attendance_ids.values())
    stale = [
        pk
        for pk, attendance_id, track_id in existing.values_list("id", "attendance_id", "track_id")
        if (attendance_id, track_id) not in keep
    ]
    if stale:
        TrackAttendance.objects.filter(pk__in=stale).delete()


def delegate_rows(data: AttendanceData, figures: dict[int, PersonFigures]) -> list[dict]:
    return [
        {
            "organisation_id": data.registrations[registration_id].organisation_id,
            "is_present": person.is_present,
            "is_online": is_online_registration(data, data.registrations[registration_id]),
            "took_part_online": person.is_online,
            "sessions_attended": person.sessions_attended,
            "trainings_attended": person.trainings_attended,
            "training_minutes": person.training_minutes,
        }
        for registration_id, person in figures.items()
        if data.registrations[registration_id].organisation_id
    ]


def set_certificate_threshold(
    *, congress: Congress, minutes: int, actor: User = None
) -> AttendanceClosure:
    """Set the minutes of sessions a registrant must have attended to get a certificate.

    Takes effect on the next issuing or closing (certificates already issued are revoked
    then if they fall below it).
    """
    with transaction.atomic():
        closure, _created = AttendanceClosure.objects.select_for_update().get_or_create(
            congress=congress
        )
        closure.certificate_threshold_minutes = minutes
        closure.save(update_fields=["certificate_threshold_minutes"])
        record_audit(
            action="attendance.certificate_threshold_set",
            congress=congress,
            actor=actor,
            target=closure,
            detail={"minutes": minutes},
        )
    return closure


def set_certificate_rule(
    *,
    congress: Congress,
    rule: str,
    minutes: int,
    days: int,
    plenary_rule: str,
    actor: User = None,
) -> AttendanceClosure:
    """Set who gets a certificate (days present, hours of sessions, or both, with their
    thresholds) and how plenaries count (AttendanceClosure.PlenaryRule: through their
    room's door, for everyone present at the entrance that day, or not at all).

    Takes effect on the next issuing or closing, like `set_certificate_threshold`. Locks
    the closure row. Writes an audit row.
    """
    with transaction.atomic():
        closure, _created = AttendanceClosure.objects.select_for_update().get_or_create(
            congress=congress
        )
        closure.certificate_rule = AttendanceClosure.CertificateRule(rule)
        closure.certificate_threshold_minutes = minutes
        closure.certificate_min_days = days
        closure.plenary_rule = AttendanceClosure.PlenaryRule(plenary_rule)
        closure.save(
            update_fields=[
                "certificate_rule",
                "certificate_threshold_minutes",
                "certificate_min_days",
                "plenary_rule",
            ]
        )
        record_audit(
            action="attendance.certificate_rule_set",
            congress=congress,
            actor=actor,
            target=closure,
            detail={
                "rule": rule,
                "minutes": minutes,
                "days": days,
                "plenary_rule": plenary_rule,
            },
        )
    return closure


def issue_certificates(
    *, congress: Congress, actor: User = None, now: datetime.datetime | None = None
) -> int:
    """Issue (or bring up to date) a certificate for every registrant who attended at least
    the threshold (same computation as closing); revoke those now under it.

    Returns the number of valid certificates. Idempotent: one certificate per registration,
    whose verification code never changes. Raises CongressNotClosed before the first closing.
    Locks the congress row.
    """
    now = now or timezone.now()
    with transaction.atomic():
        congress = Congress.objects.select_for_update().get(pk=congress.pk)
        closure = AttendanceClosure.objects.filter(congress=congress).first()
        if closure is None or not closure.is_closed:
            raise CongressNotClosed
        closure.certificates_enabled = True
        closure.save(update_fields=["certificates_enabled"])
        data = load_attendance_data(congress=congress)
        count = _sync_certificates(congress, closure, person_figures(data), now)
        record_audit(
            action="attendance.certificates_issued",
            congress=congress,
            actor=actor,
            target=congress,
            detail={"certificates": count},
        )
    return count


def _sync_certificates(
    congress: Congress,
    closure: AttendanceClosure,
    figures: dict[int, PersonFigures],
    now: datetime.datetime,
) -> int:
    rule = CertificateRule.of(closure)
    existing = {c.registration_id: c for c in Certificate.objects.filter(congress=congress)}
    # An erased person's certificate was deleted on purpose: closing again issues none.
    erased = set(
        Registration.objects.filter(congress=congress, person__erased_at__isnull=False).values_list(
            "pk", flat=True
        )
    )
    to_create, to_update = [], []
    for registration_id, person in figures.items():
        certificate = existing.pop(registration_id, None)
        earns = qualifies(person, rule) and registration_id not in erased
        tracks = [
            {"track_id": track_id, "minutes": seconds // 60}
            for track_id, (_sessions, seconds) in sorted(person.tracks.items())
            if seconds >= 60
        ]
        if certificate is None:
            if earns:
                nonce = make_token(24)
                to_create.append(
                    Certificate(
                        congress=congress,
                        registration_id=registration_id,
                        nonce=nonce,
                        verification_hash=hash_token(certificate_codes.code_for_nonce(nonce)),
                        attended_minutes=person.attended_minutes,
                        rule=rule.rule,
                        days_present=person.days_present,
                        online_minutes=person.online_minutes,
                        tracks=tracks,
                        issued_at=now,
                        updated_at=now,
                    )
                )
            continue
        certificate.attended_minutes = person.attended_minutes
        certificate.rule = rule.rule
        certificate.days_present = person.days_present
        certificate.online_minutes = person.online_minutes
        certificate.tracks = tracks
        certificate.updated_at = now
        certificate.revoked_at = None if earns else (certificate.revoked_at or now)
        to_update.append(certificate)
    for certificate in existing.values():  # registration no longer confirmed
        certificate.revoked_at = certificate.revoked_at or now
        certificate.updated_at = now
        to_update.append(certificate)
    Certificate.objects.bulk_create(to_create, batch_size=500)
    Certificate.objects.bulk_update(
        to_update,
        [
            "attended_minutes",
            "rule",
            "days_present",
            "online_minutes",
            "tracks",
            "updated_at",
            "revoked_at",
        ],
        batch_size=500,
    )
    return Certificate.objects.filter(congress=congress, revoked_at__isnull=True).count()
