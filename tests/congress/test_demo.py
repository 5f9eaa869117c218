import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError

from badges.models import Checkpoint
from congress.models import Congress, Track
from members.models import Organisation, Person

pytestmark = pytest.mark.django_db


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in {"members", "congress", "registrations", "programme", "badges"}
    }


def test_demo_loads_world_and_regional_congress():
    call_command("demo", "--allow-production")

    assert set(Congress.objects.values_list("kind", flat=True)) == {"world", "regional"}
    world = Congress.objects.get(kind="world", status=Congress.Status.PUBLISHED)
    assert sorted(world.tracks.values_list("theme", flat=True)) == sorted(
        ["counter_terrorism", "drug_policy", "mental_illness", "media", "migrants_and_minorities"]
    )
    assert Organisation.objects.count() >= 40
    assert Organisation.objects.values("country").distinct().count() >= 20


def test_demo_archived_congresses_have_no_doors():
    call_command("demo", "--allow-production")

    archived = Congress.objects.filter(status=Congress.Status.ARCHIVED)
    assert (archived.count(), Checkpoint.objects.filter(congress__in=archived).count()) == (3, 0)


def test_demo_people_have_names_in_many_scripts():
    call_command("demo", "--allow-production")

    names = set(Person.objects.values_list("name", flat=True))
    assert {
        "أمينة بن سالم",
        "مریم رضایی",
        "Сауле Ахметова",
        "山田花子",
        "김민준",
        "林怡君",
    } <= names


def test_demo_twice_changes_nothing():
    call_command("demo", "--allow-production")
    first = _row_counts()

    call_command("demo", "--allow-production")

    assert _row_counts() == first
    assert Track.objects.filter(congress__kind="world").count() == 5


def test_demo_refuses_with_debug_off_without_flag():
    with pytest.raises(CommandError, match="DJANGO_DEBUG=1"):
        call_command("demo")
