"""What a new edition copies from the programme (congress.cloning registry): the rooms.
Sessions belong to one edition and are not copied."""

from django.utils.translation import gettext_lazy as _

from congress.cloning import CloneContext, copy_rows, register_cloner
from sessions.models import Room


def copy_rooms(context: CloneContext) -> int:
    return len(copy_rows(context, Room.objects.filter(congress=context.source).order_by("pk")))


def register() -> None:
    register_cloner(key="programme", copy=copy_rooms, label=_("Rooms"), order=10)
