"""Facts about the programme that the apps above it react to (badges).

Sent by the programme services after the transaction commits (transaction.on_commit):
- session_saved(sender=Session, session=..., created=bool): a session was created or changed.
  The badge app creates (or updates) the check-in checkpoint of every session that
  requires sign-up.
"""

from django.dispatch import Signal

session_saved = Signal()
