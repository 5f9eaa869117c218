"""Travel support services: every write and rule of the travel app."""

from travel.services.accommodation import (
    allocate_room,
    auto_allocate_rooms,
    release_room,
    save_accommodation_request,
)
from travel.services.grants import (
    AwardLine,
    RequestedItem,
    apply_for_grant,
    award_grant,
    refuse_application,
    review_application,
    save_grant_settings,
)
from travel.services.reimbursements import (
    approve_reimbursement,
    claim_reimbursement,
    mark_reimbursement_paid,
    reject_reimbursement,
)
from travel.services.transfers import record_manifest_export, save_itinerary

__all__ = [
    "AwardLine",
    "RequestedItem",
    "allocate_room",
    "apply_for_grant",
    "approve_reimbursement",
    "auto_allocate_rooms",
    "award_grant",
    "claim_reimbursement",
    "mark_reimbursement_paid",
    "record_manifest_export",
    "refuse_application",
    "reject_reimbursement",
    "release_room",
    "review_application",
    "save_accommodation_request",
    "save_grant_settings",
    "save_itinerary",
]
