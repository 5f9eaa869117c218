"""Network staff: who administers a network (creates its congresses, manages its members)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from common.exceptions import ConflictError, DomainError
from congress.services import record_audit
from members.models import Membership, Network, NetworkAdministrator, Organisation


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


# Member organisations and memberships ---------------------------------------------------------


class AlreadyMember(ConflictError):
    code = "already_member"
    default_message = _("This organisation is already an active member of the network.")


def create_member_organisation(
    *,
    network: Network,
    name: str,
    acronym: str,
    kind: str,
    country: str,
    website: str,
    joined_on,
    created_by: AbstractBaseUser,
) -> Organisation:
    """Create an organisation (or find it by name and country) and make it an active
    member of `network` from `joined_on`. Audited ("network.organisation_added")."""
    with transaction.atomic():
        organisation, _created = Organisation.objects.get_or_create(
            name=name.strip(),
            country=country,
            defaults={"acronym": acronym, "kind": kind, "website": website},
        )
        add_membership(
            network=network, organisation=organisation, joined_on=joined_on, actor=created_by
        )
    return organisation


def add_membership(
    *, network: Network, organisation: Organisation, joined_on, actor: AbstractBaseUser
) -> Membership:
    """Start an active membership; raises AlreadyMember when one is active already (the
    database's one-active-membership constraint backs this up). Locks the organisation row
    so two administrators adding it at once make one membership. Audited."""
    with transaction.atomic():
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        if Membership.objects.filter(
            network=network, organisation=organisation, status=Membership.Status.ACTIVE
        ).exists():
            raise AlreadyMember()
        membership = Membership.objects.create(
            network=network,
            organisation=organisation,
            status=Membership.Status.ACTIVE,
            joined_on=joined_on,
        )
        record_audit(
            action="network.membership_added",
            actor=actor,
            target=membership,
            detail={"network_id": network.pk, "organisation_id": organisation.pk},
        )
    return membership


def end_membership(*, membership: Membership, ended_on, actor: AbstractBaseUser) -> Membership:
    """End an active membership on `ended_on` (kept as history). Audited."""
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        if membership.status != Membership.Status.ENDED:
            membership.status = Membership.Status.ENDED
            membership.ended_on = ended_on
            membership.save(update_fields=["status", "ended_on"])
            record_audit(
                action="network.membership_ended",
                actor=actor,
                target=membership,
                detail={
                    "network_id": membership.network_id,
                    "organisation_id": membership.organisation_id,
                },
            )
    return membership


def set_membership_verification_contacts(
    *,
    network: Network,
    organisation: Organisation,
    email_domains: list[str],
    contact_email: str,
    actor: AbstractBaseUser,
) -> Organisation:
    """Store the e-mail domains and the contact address that verify a registrant's
    membership of `organisation` (see registrations.services.membership). Domains are
    stored lower-cased, without "@", once each, in the given order; the contact is
    lower-cased in its domain part by the form. Locks the organisation row; audited (the
    domains and whether a contact is set, never the address itself)."""
    domains = list(dict.fromkeys(domain.strip().lstrip("@").lower() for domain in email_domains))
    domains = [domain for domain in domains if domain]
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
        organisation.email_domains = domains
        organisation.contact_email = contact_email
        organisation.save(update_fields=["email_domains", "contact_email"])
        record_audit(
            action="network.organisation_verification_changed",
            actor=actor,
            target=organisation,
            detail={
                "network_id": network.pk,
                "email_domains": domains,
                "contact_email_set": bool(contact_email),
            },
        )
    return organisation
