"""What a new edition copies from the call for participation (congress.cloning registry):
calls (dates moved), their tracks, questions and decision e-mail templates. Submissions,
reviews and reviewer invitations belong to one edition and are not copied."""

from django.utils.translation import gettext_lazy as _

from cfp.models import CallForParticipation, DecisionEmailTemplate, Question
from congress.cloning import CloneContext, copy_rows, register_cloner
from congress.models import Track


def copy_calls(context: CloneContext) -> int:
    calls = list(
        CallForParticipation.objects.filter(congress=context.source)
        .prefetch_related("tracks")
        .order_by("pk")
    )
    for call, copy in zip(
        calls, copy_rows(context, calls, shift=("opens_at", "closes_at")), strict=True
    ):
        copy.tracks.set([context.new(Track, track.pk) for track in call.tracks.all()])
    copied = len(calls)
    copied += len(
        copy_rows(
            context,
            Question.objects.filter(call__congress=context.source).order_by("pk"),
            remap={"call": CallForParticipation},
        )
    )
    copied += len(
        copy_rows(
            context,
            DecisionEmailTemplate.objects.filter(call__congress=context.source).order_by("pk"),
            remap={"call": CallForParticipation},
        )
    )
    return copied


def register() -> None:
    register_cloner(
        key="cfp", copy=copy_calls, label=_("Calls for participation and their questions"), order=30
    )
