"""What every registration of a congress reads and organisers rarely change, kept in each
process's memory: its categories (by code), questions, fee rules, country groups and
registration settings.

A registration rush read these five times per registration, identical each time. Each
process now keeps them per congress under a version number held in the shared cache
(Redis in production), and reads them again from the database when the version changed or
after settings.REGISTRATION_CONFIG_SECONDS (default 60 s, for what no signal reports, e.g.
raw SQL). Saving or deleting any of these rows, or the congress, changing which categories
a question is asked in, and the bulk writes audited as "registration.opened",
"registration.closed" and "settings.reordered" give the congress a new version at once and
again when the transaction commits (a process that read the old rows between the two then
reads them again): the next registration, in any process, sees the change.

What is counted or decided under the lock is never taken from here: the registering
transaction locks and reads the category row itself (capacity, open and close dates,
access). When the shared cache is down, every registration reads the database (nothing is
kept without a version). See docs/registrations.md, "How registrations are serialised".
"""

import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.db.models.signals import m2m_changed, post_save

from common.cache import bump_cache_versions, cache_version, connect_to_changes
from congress.models import AuditEvent, Congress
from registrations import queries
from registrations.models import (
    CountryGroup,
    FeeRule,
    Question,
    RegistrationCategory,
    RegistrationSettings,
)

# Audit actions of bulk writes (QuerySet.update, bulk_update) to these rows: no row signal.
AUDITED_BULK_ACTIONS = frozenset(
    {"registration.opened", "registration.closed", "settings.reordered"}
)


@dataclass(frozen=True)
class RegistrationConfig:
    """Read-only: shared by every thread of the process."""

    categories: dict[str, RegistrationCategory]  # by code
    questions: list[Question]  # their categories prefetched
    fee_rules: dict[int, list[FeeRule]]  # by category id
    country_groups: list[CountryGroup]
    settings: RegistrationSettings

    def fee_inputs(self, category: RegistrationCategory) -> tuple:
        """(rules, groups) as `queries.fee_inputs` gives them."""
        return self.fee_rules.get(category.pk, []), self.country_groups


_lock = threading.Lock()
# congress id -> (version, monotonic time it was read, config)
_kept: dict[int, tuple[int, float, RegistrationConfig]] = {}


def _version_key(congress_id: int) -> str:
    return f"registrations:config-version:{congress_id}"


def bump_config_version(*, congress_ids) -> None:
    """Give each congress a new version now, and again when the transaction commits."""
    bump_cache_versions(_version_key(pk) for pk in congress_ids if pk is not None)


def _load(congress: Congress) -> RegistrationConfig:
    categories = list(RegistrationCategory.objects.filter(congress=congress))
    rules: dict[int, list[FeeRule]] = {}
    for rule in FeeRule.objects.filter(category__congress=congress).order_by("id"):
        rules.setdefault(rule.category_id, []).append(rule)
    return RegistrationConfig(
        categories={category.code: category for category in categories},
        questions=queries.questions_for(congress=congress),
        fee_rules=rules,
        country_groups=queries.country_groups(congress=congress),
        settings=queries.settings_for(congress=congress),
    )


def registration_config(congress: Congress) -> RegistrationConfig:
    """The congress's registration configuration, from this process's memory while its
    version holds (no query), else read from the database (five queries)."""
    version = cache_version(_version_key(congress.pk))
    if version is None:
        return _load(congress)
    kept = _kept.get(congress.pk)
    max_age = getattr(settings, "REGISTRATION_CONFIG_SECONDS", 60)
    if kept is not None and kept[0] == version and time.monotonic() - kept[1] < max_age:
        return kept[2]
    config = _load(congress)
    with _lock:
        _kept[congress.pk] = (version, time.monotonic(), config)
    return config


def _owned_by_congress(sender, instance, **kwargs) -> None:
    bump_config_version(congress_ids=[instance.congress_id])


def _congress_changed(sender, instance, **kwargs) -> None:
    bump_config_version(congress_ids=[instance.pk])


def _fee_rule_changed(sender, instance, **kwargs) -> None:
    congress_id = (
        RegistrationCategory.objects.filter(pk=instance.category_id)
        .values_list("congress_id", flat=True)
        .first()
    )
    bump_config_version(congress_ids=[congress_id])


def _question_categories_changed(sender, instance, action, **kwargs) -> None:
    if action.startswith("post_"):
        bump_config_version(congress_ids=[getattr(instance, "congress_id", None)])


def _audited(sender, instance, created, **kwargs) -> None:
    if created and instance.action in AUDITED_BULK_ACTIONS:
        bump_config_version(congress_ids=[instance.congress_id])


def connect() -> None:
    prefix = "registration_config"
    owned = (RegistrationCategory, Question, CountryGroup, RegistrationSettings)
    connect_to_changes(_owned_by_congress, *owned, prefix=prefix)
    connect_to_changes(_fee_rule_changed, FeeRule, prefix=prefix)
    post_save.connect(
        _congress_changed, sender=Congress, dispatch_uid="registration_config_congress"
    )
    m2m_changed.connect(
        _question_categories_changed,
        sender=Question.categories.through,
        dispatch_uid="registration_config_question_categories",
    )
    post_save.connect(_audited, sender=AuditEvent, dispatch_uid="registration_config_audit")
