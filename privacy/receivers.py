"""Audit rows for erasures (ids only). Connected from PrivacyConfig.ready()."""


def _congress_by_pk(congress_pk: int | None):
    from congress.models import Congress

    return Congress.objects.filter(pk=congress_pk).first() if congress_pk else None


def _audit_person_erased(sender, person, actor=None, reason: str = "", **kwargs) -> None:
    from congress.services import record_audit

    # Ids and the reason only: the erased name or e-mail never reach the audit trail.
    record_audit(action="person.erased", actor=actor, target=person, detail={"reason": reason})


def _audit_erasure_requested(sender, erasure_request, **kwargs) -> None:
    from congress.services import record_audit

    record_audit(
        action="erasure.requested",
        congress=_congress_by_pk(erasure_request.congress_pk),
        target=erasure_request,
        detail={"person_id": erasure_request.person_id},
    )


def _audit_erasure_decided(sender, erasure_request, actor=None, **kwargs) -> None:
    from congress.services import record_audit

    record_audit(
        action=f"erasure.{erasure_request.status}",
        congress=_congress_by_pk(erasure_request.congress_pk),
        actor=actor,
        target=erasure_request,
        detail={"person_id": erasure_request.person_id},
    )


def connect_erasure_audit() -> None:
    from privacy.signals import erasure_decided, erasure_requested, person_erased

    person_erased.connect(_audit_person_erased, dispatch_uid="audit-person-erased")
    erasure_requested.connect(_audit_erasure_requested, dispatch_uid="audit-erasure-requested")
    erasure_decided.connect(_audit_erasure_decided, dispatch_uid="audit-erasure-decided")
