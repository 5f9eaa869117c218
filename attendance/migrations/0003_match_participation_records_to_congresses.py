"""Point each participation record at its congress instead of at a `members.CongressEdition`.

Editions were keyed by the congress's slug at closing time, so renaming a slug and closing
again made a second edition of the same congress. Each edition is matched to one congress:

1. by slug, when the congress also has the edition's start date or name (a slug can be
   reused by a later congress);
2. else by name and start date;
3. else by closing time: the edition's `closed_at` equals the congress's last closing
   (`AttendanceClosure.closed_at`), which closing a congress wrote to both.

A step counts only when it finds exactly one congress. When several editions match one
congress (the duplicates of the slug bug), the one closed last is kept and the records of
the others are deleted. The kept edition's member count moves to the congress's attendance
closure (created, closed at the edition's time, when the congress has none).

An edition that matches no congress cannot point anywhere: its records are deleted, and the
migration prints each such edition and how many records it deleted. For a congress that
still exists, `close_congress SLUG` writes them again; the demo's past editions come back
as archived congresses when `manage.py demo` runs again.

Reversible: going back makes one edition per congress that has records (from the
congress and its closure) and points the records at it; deleted records do not come back.
"""

from django.db import migrations


def match_editions(editions: list[dict], congresses: list[dict]) -> dict[int, int | None]:
    """{edition id: congress id, or None when no step finds exactly one congress}.

    editions: dicts with id, slug, name, starts_on, closed_at;
    congresses: dicts with id, slug, name, starts_on, closed_at (of the last closing, or None).
    """

    def only(candidates: list[dict]) -> int | None:
        return candidates[0]["id"] if len(candidates) == 1 else None

    matches = {}
    for edition in editions:
        same_slug = [
            congress
            for congress in congresses
            if congress["slug"] == edition["slug"]
            and (
                congress["starts_on"] == edition["starts_on"]
                or congress["name"] == edition["name"]
            )
        ]
        same_name_and_start = [
            congress
            for congress in congresses
            if (congress["name"], congress["starts_on"]) == (edition["name"], edition["starts_on"])
        ]
        same_closing = [
            congress for congress in congresses if congress["closed_at"] == edition["closed_at"]
        ]
        matches[edition["id"]] = only(same_slug) or only(same_name_and_start) or only(same_closing)
    return matches


def keep_latest(editions: list[dict], matches: dict[int, int | None]) -> dict[int, dict]:
    """{congress id: the edition to keep}: of several editions of one congress, the one
    closed last (then the newest row)."""
    kept: dict[int, dict] = {}
    for edition in sorted(editions, key=lambda edition: (edition["closed_at"], edition["id"])):
        congress_id = matches[edition["id"]]
        if congress_id is not None:
            kept[congress_id] = edition
    return kept


def forwards(apps, schema_editor):
    CongressEdition = apps.get_model("members", "CongressEdition")
    Congress = apps.get_model("congress", "Congress")
    AttendanceClosure = apps.get_model("attendance", "AttendanceClosure")
    ParticipationRecord = apps.get_model("attendance", "ParticipationRecord")
    editions = list(
        CongressEdition.objects.order_by("id").values(
            "id", "slug", "name", "starts_on", "closed_at", "member_count"
        )
    )
    if not editions:
        return
    closed_at = dict(AttendanceClosure.objects.values_list("congress_id", "closed_at"))
    congresses = [
        {**congress, "closed_at": closed_at.get(congress["id"])}
        for congress in Congress.objects.values("id", "slug", "name", "starts_on")
    ]
    matches = match_editions(editions, congresses)
    kept = keep_latest(editions, matches)
    kept_ids = {edition["id"] for edition in kept.values()}
    for edition in editions:
        congress_id = matches[edition["id"]]
        records = ParticipationRecord.objects.filter(edition_id=edition["id"])
        if edition["id"] in kept_ids:
            records.update(congress_id=congress_id)
            continue
        deleted, _by_model = records.delete()
        if congress_id is None:
            print(
                f"\n  attendance 0003: edition {edition['slug']!r} ({edition['name']}, "
                f"starting {edition['starts_on']}) matches no congress: {deleted} participation "
                "record(s) deleted. Closing the congress again (close_congress SLUG) writes "
                "them anew; on a demo database, `manage.py demo` does."
            )
        else:
            print(
                f"\n  attendance 0003: edition {edition['slug']!r} is an older copy of "
                f"congress #{congress_id} (closed again after a slug change): {deleted} "
                "participation record(s) deleted, those of its latest closing kept."
            )
    for congress_id, edition in kept.items():
        closure, created = AttendanceClosure.objects.get_or_create(
            congress_id=congress_id,
            defaults={"closed_at": edition["closed_at"], "times_closed": 1},
        )
        closure.member_count = edition["member_count"]
        closure.save(update_fields=["member_count"])


def backwards(apps, schema_editor):
    CongressEdition = apps.get_model("members", "CongressEdition")
    Congress = apps.get_model("congress", "Congress")
    AttendanceClosure = apps.get_model("attendance", "AttendanceClosure")
    ParticipationRecord = apps.get_model("attendance", "ParticipationRecord")
    congress_ids = set(
        ParticipationRecord.objects.filter(edition__isnull=True).values_list(
            "congress_id", flat=True
        )
    )
    closures = {
        closure.congress_id: closure
        for closure in AttendanceClosure.objects.filter(congress_id__in=congress_ids)
    }
    for congress in Congress.objects.filter(pk__in=congress_ids):
        closure = closures.get(congress.pk)
        edition, _created = CongressEdition.objects.update_or_create(
            slug=congress.slug,
            defaults={
                "name": congress.name,
                "network_id": congress.network_id,
                "starts_on": congress.starts_on,
                "ends_on": congress.ends_on,
                "member_count": closure.member_count if closure else 0,
                "closed_at": closure.closed_at
                if closure and closure.closed_at
                else congress.created_at,
            },
        )
        ParticipationRecord.objects.filter(congress=congress).update(edition=edition)


class Migration(migrations.Migration):
    dependencies = [
        ("attendance", "0002_add_participation_congress"),
        ("congress", "0003_move_cfp_models_to_cfp"),
        ("members", "0004_move_erasure_and_participation"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
