"""Hooks for apps to the right of `congress`.

- submission_accepted(sender=Submission, submission=...): sent after the transaction that
  accepted a call-for-participation submission commits. The programme app turns it into a
  draft session (sessions/submissions.py); receivers must be idempotent, since an organiser
  may accept the same submission again after a waitlist decision.
"""

from django.dispatch import Signal

submission_accepted = Signal()
