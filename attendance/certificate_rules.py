"""Who gets a certificate of attendance: the organiser's rule (days present, hours of
sessions, or both) and a preview of how many people it gives one to.

One function decides (`qualifies`); issuing, closing and the preview all call it.
"""

from dataclasses import dataclass

from attendance.models import AttendanceClosure
from attendance.queries import PersonFigures, load_attendance_data, person_figures
from congress.models import Congress

Rule = AttendanceClosure.CertificateRule


@dataclass(frozen=True)
class CertificateRule:
    rule: str = Rule.HOURS
    minutes: int = 180
    days: int = 1

    @classmethod
    def of(cls, closure: AttendanceClosure | None) -> "CertificateRule":
        if closure is None:
            return cls()
        return cls(
            rule=closure.certificate_rule,
            minutes=closure.certificate_threshold_minutes,
            days=closure.certificate_min_days,
        )


def qualifies(person: PersonFigures, rule: CertificateRule) -> bool:
    """Whether `person` earns a certificate under `rule`. Nobody absent ever does; a zero
    threshold still needs one day present or one minute attended. Hours are the sessions
    attended on site plus the sessions followed online (remote participants)."""
    if not (person.is_present or person.is_online):
        return False
    enough_days = person.days_present >= max(rule.days, 1)
    enough_hours = person.attended_minutes + person.online_minutes >= max(rule.minutes, 1)
    if rule.rule == Rule.DAYS:
        return enough_days
    if rule.rule == Rule.BOTH:
        return enough_days and enough_hours
    return enough_hours


@dataclass(frozen=True)
class CertificatePreview:
    qualifying: int
    present: int
    registered: int


def preview_certificates(
    *, congress: Congress, rule: CertificateRule, plenary_rule: str | None = None
) -> CertificatePreview:
    """How many confirmed participants `rule` would give a certificate to, from the live
    attendance (the same figures as closing). Reads only. `plenary_rule`
    (AttendanceClosure.PlenaryRule) overrides the congress's stored one for the preview."""
    data = load_attendance_data(congress=congress)
    if plenary_rule is not None:
        data.plenary_rule = AttendanceClosure.PlenaryRule(plenary_rule)
    figures = person_figures(data).values()
    return CertificatePreview(
        qualifying=sum(qualifies(person, rule) for person in figures),
        present=sum(person.is_present for person in figures),
        registered=len(data.registrations),
    )
