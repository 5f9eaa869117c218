"""What a new edition copies from badges (congress.cloning registry): the badge templates
(size, fields, colours, logo), each pointing at the copy of its category."""

from django.utils.translation import gettext_lazy as _

from badges.models import BadgeTemplate
from congress.cloning import CloneContext, copy_rows, register_cloner
from registrations.models import RegistrationCategory


def copy_badge_templates(context: CloneContext) -> int:
    return len(
        copy_rows(
            context,
            BadgeTemplate.objects.filter(congress=context.source).order_by("pk"),
            remap={"category": RegistrationCategory},
        )
    )


def register() -> None:
    register_cloner(key="badges", copy=copy_badge_templates, label=_("Badge templates"), order=40)
