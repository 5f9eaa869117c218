"""Network staff: who administers a network (creates its congresses, manages its members)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from common.exceptions import ConflictError, DomainError
from congress.services import record_audit
from members.models import Network, NetworkAdministrator


class NoSuchAccount(DomainError):
    code = "no_such_account"
    default_message = _(
        "No account has this e-mail address. Invite the person to a congress team first: "
        "they set their password there."
    )


class LastAdministrator(ConflictError):
    code = "last_network_administrator"
    default_message = _("A network keeps at least one administrator: add another one first.")


def network_administrators(*, network: Network):
    return NetworkAdministrator.objects.filter(network=network).select_related("user")


def add_network_administrator(
    *, network: Network, email: str, added_by: AbstractBaseUser
) -> NetworkAdministrator:
    """Make the account of `email` an administrator of `network` (idempotent).

    Raises NoSuchAccount. Audited ("network.administrator_added").
    """
    user = (
        get_user_model()
        .objects.filter(email__iexact=email.strip(), is_active=True)
        .order_by("pk")
        .first()
    )
    if user is None:
        raise NoSuchAccount()
    with transaction.atomic():
        administrator, created = NetworkAdministrator.objects.get_or_create(
            network=network, user=user
        )
        if created:
            record_audit(
                action="network.administrator_added",
                actor=added_by,
                target=administrator,
                detail={"network_id": network.pk, "user_id": user.pk},
            )
    return administrator


def remove_network_administrator(
    *, network: Network, user_id: int, removed_by: AbstractBaseUser
) -> None:
    """Remove an administrator; refuses to remove the last one (LastAdministrator). Locks
    the network row so two administrators removing each other cannot both succeed."""
    with transaction.atomic():
        Network.objects.select_for_update().filter(pk=network.pk).first()
        administrator = NetworkAdministrator.objects.filter(
            network=network, user_id=user_id
        ).first()
        if administrator is None:
            return
        if (
            not NetworkAdministrator.objects.filter(network=network)
            .exclude(pk=administrator.pk)
            .exists()
        ):
            raise LastAdministrator()
        record_audit(
            action="network.administrator_removed",
            actor=removed_by,
            target=administrator,
            detail={"network_id": network.pk, "user_id": user_id},
        )
        administrator.delete()
