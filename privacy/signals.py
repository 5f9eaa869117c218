"""Hooks sent by `members` for apps to its right.

- person_erased(sender=Person, person=..., actor=user or None, reason="retention" /
  "request"): sent inside the erasing transaction, after the Person row was anonymised.
  Every app that keeps personal data about people erases it in a receiver: registrations
  (badge display name, passport/visa data, self-service token hash, free-text answers),
  programme (speaker biographies and photos), badges (reprint tokens may stay: they are
  random and carry no personal data). Receivers must not fail for data they do not hold.
  The congress app's receiver writes the audit row (ids only).
- erasure_requested(sender=ErasureRequest, erasure_request=...): a participant asked.
- erasure_decided(sender=ErasureRequest, erasure_request=..., actor=...): an organiser
  confirmed or rejected a request.
"""

from django.dispatch import Signal

person_erased = Signal()
erasure_requested = Signal()
erasure_decided = Signal()
