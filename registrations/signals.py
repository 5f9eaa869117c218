"""Facts that the apps above `registrations` react to (the programme, badges).

Sent by registrations services after the transaction commits (transaction.on_commit):
- registration_confirmed(sender=Registration, registration=...): the badge app issues a
  credential and mails the badge; it fires once per confirmation.
- registration_cancelled(sender=Registration, registration=...): the programme frees session
  seats (promoting waitlists); the badge app revokes the credential.
"""

from django.dispatch import Signal

registration_confirmed = Signal()
registration_cancelled = Signal()
