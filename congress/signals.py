"""Facts about congresses that apps further up react to (receivers pinned in
tests/test_signal_receivers.py)."""

from django.dispatch import Signal

# Sent inside the transaction that granted a role: congress, user, role. The call for
# participation makes a new reviewer assignable to the congress's calls at once.
congress_role_granted = Signal()
