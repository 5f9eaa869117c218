"""Badge services: credentials and checkpoints, printing, scanning (re-exported here)."""

from badges.services.checkins import (
    BatchItem,
    ScanOutcome,
    check_scan_rate,
    record_scan,
    record_scan_batch,
)
from badges.services.checkpoints import add_checkpoint, update_checkpoint_settings
from badges.services.credentials import (
    ensure_credential,
    entrance_checkpoint,
    issue_credential,
    issue_credentials_for_congress,
    lift_revocation,
    revocation_hold,
    revoke_credentials,
    revoke_credentials_of_person,
    sync_session_checkpoint,
    sync_session_checkpoints,
)
from badges.services.printing import (
    badge_styles,
    hash_token_for_offline,
    offline_token_list,
    render_congress_badges,
    render_registration_badge,
    spooled_congress_badges,
)

__all__ = [
    "BatchItem",
    "ScanOutcome",
    "add_checkpoint",
    "badge_styles",
    "check_scan_rate",
    "ensure_credential",
    "entrance_checkpoint",
    "hash_token_for_offline",
    "issue_credential",
    "issue_credentials_for_congress",
    "lift_revocation",
    "offline_token_list",
    "record_scan",
    "record_scan_batch",
    "render_congress_badges",
    "render_registration_badge",
    "revocation_hold",
    "revoke_credentials",
    "revoke_credentials_of_person",
    "spooled_congress_badges",
    "sync_session_checkpoint",
    "sync_session_checkpoints",
    "update_checkpoint_settings",
]
