"""What a new edition copies from registrations (congress.cloning registry): categories,
country groups, fee rules, registration questions, registration settings (refund deadlines,
bank details, letterhead) and, when the organiser asks, vouchers (unused)."""

from django.utils.translation import gettext_lazy as _

from congress.cloning import CloneContext, copy_rows, register_cloner
from registrations.models import (
    CountryGroup,
    FeeRule,
    Question,
    RegistrationCategory,
    RegistrationSettings,
    Voucher,
)


def copy_registrations_setup(context: CloneContext) -> int:
    source = context.source
    copied = copy_rows(
        context,
        RegistrationCategory.objects.filter(congress=source).order_by("pk"),
        shift=("opens_at", "closes_at"),
    )
    copied += copy_rows(context, CountryGroup.objects.filter(congress=source).order_by("pk"))
    copied += copy_rows(
        context,
        FeeRule.objects.filter(category__congress=source).order_by("pk"),
        shift=("early_bird_until",),
        remap={"category": RegistrationCategory, "country_group": CountryGroup},
    )
    questions = list(
        Question.objects.filter(congress=source).prefetch_related("categories").order_by("pk")
    )
    for question, copy in zip(questions, copy_rows(context, questions), strict=True):
        copy.categories.set(
            [
                context.new(RegistrationCategory, category.pk)
                for category in question.categories.all()
            ]
        )
    copied += questions
    copied += copy_rows(
        context,
        RegistrationSettings.objects.filter(congress=source),
        shift=("full_refund_until", "partial_refund_until"),
    )
    if context.include_vouchers:
        copied += copy_rows(
            context,
            Voucher.objects.filter(congress=source).order_by("pk"),
            shift=("valid_from", "valid_until"),
            reset={"times_used": 0},
        )
    return len(copied)


def register() -> None:
    register_cloner(
        key="registrations",
        copy=copy_registrations_setup,
        label=_("Categories, fees, questions and vouchers"),
        order=20,
    )
