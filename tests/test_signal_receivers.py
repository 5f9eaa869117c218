"""Every signal of the project, with the receivers it must have.

A signal announces a fact that apps further up react to; a receiver that is missing (never
connected, or connected only when some other module happens to be imported) fails silently
in production. This test fails instead. Adding a signal or a receiver means adding it here.
"""

import importlib
import weakref
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.dispatch import Signal

EXPECTED_RECEIVERS = {
    "congress.signals.congress_role_granted": [
        "cfp.receivers.invite_new_reviewer_to_calls",
    ],
    "registrations.signals.registration_confirmed": [
        "badges.receivers.issue_badge_on_confirmation",
    ],
    "registrations.signals.registration_cancelled": [
        "badges.receivers.revoke_badge_on_cancellation",
        "sessions.receivers.free_seats_of_cancelled_registration",
    ],
    "sessions.signals.session_saved": [
        "badges.receivers.sync_checkpoint_of_saved_session",
    ],
}


def _project_signals() -> dict[str, Signal]:
    """Every Signal defined in a `signals` module of one of our own apps."""
    found = {}
    for config in apps.get_app_configs():
        path = Path(config.path)
        if not path.is_relative_to(settings.BASE_DIR) or "site-packages" in path.parts:
            continue  # a library's app (a virtualenv may live inside the checkout)
        try:
            module = importlib.import_module(f"{config.name}.signals")
        except ModuleNotFoundError:
            continue
        for name, value in vars(module).items():
            if isinstance(value, Signal):
                found[f"{module.__name__}.{name}"] = value
    return found


def _receiver_names(signal: Signal) -> list[str]:
    names = []
    for entry in signal.receivers:
        reference = entry[1]
        function = reference() if isinstance(reference, weakref.ReferenceType) else reference
        names.append(f"{function.__module__}.{function.__qualname__}")
    return sorted(names)


def test_every_project_signal_has_its_receivers_pinned():
    assert sorted(_project_signals()) == sorted(EXPECTED_RECEIVERS)


def test_each_project_signal_has_exactly_the_expected_receivers():
    receivers = {path: _receiver_names(signal) for path, signal in _project_signals().items()}

    assert receivers == EXPECTED_RECEIVERS
