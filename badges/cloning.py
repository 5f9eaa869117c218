"""What a new edition copies from badges (congress.cloning registry): the badge templates
(size, fields, colours, logo), each pointing at the copy of its category, and the doors set
up by hand (the entrance and the room doors, with their settings, each room door at the
copy of its room). Session doors follow the sessions, which are not copied."""

from django.utils.translation import gettext_lazy as _

from badges.models import BadgeTemplate, Checkpoint
from congress.cloning import CloneContext, copy_rows, register_cloner
from registrations.models import RegistrationCategory
from sessions.models import Room


def copy_badge_templates(context: CloneContext) -> int:
    return len(
        copy_rows(
            context,
            BadgeTemplate.objects.filter(congress=context.source).order_by("pk"),
            remap={"category": RegistrationCategory},
        )
    )


def copy_doors(context: CloneContext) -> int:
    doors = Checkpoint.objects.filter(
        congress=context.source, kind__in=(Checkpoint.Kind.ENTRANCE, Checkpoint.Kind.ROOM)
    ).order_by("pk")
    return len(copy_rows(context, doors, remap={"room": Room}))


def register() -> None:
    register_cloner(key="badges", copy=copy_badge_templates, label=_("Badge templates"), order=40)
    register_cloner(key="doors", copy=copy_doors, label=_("Entrance and room doors"), order=45)
