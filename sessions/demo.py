"""Programme demo (order 30): rooms, 36 sessions over the world congress's three days across
the five tracks and plenaries, speakers from the demo people, and workshops that are full
with a waiting list. Keyed by natural keys (room name, session title): a second run changes
nothing."""

import datetime
from typing import TextIO

from django.utils import timezone

from common.exceptions import DomainError
from congress.models import Congress
from members.models import Person
from registrations.models import Registration, RegistrationCategory
from sessions.models import Room, Session, SessionSignup, SessionSpeaker
from sessions.services import save_session, sign_up_for_session

WORLD_SLUG = "world-congress-2027"
K = Session.Kind
ROOMS = [
    # (name, capacity, accessibility notes)
    ("Plenary hall Erasme", 900, "Step-free access, induction loop, sign language interpreters."),
    ("Salle Schweitzer", 120, "Step-free access; interpretation booths."),
    ("Salle Gutenberg", 60, "Step-free access."),
    ("Salle Marie Curie", 40, "Lift from the entrance hall."),
    ("Salle Tomi Ungerer", 12, "Small room, ground floor."),
    ("Salle Louise Weiss", 8, "Small room, ground floor, step-free."),
]
# Per day: (start, end, kind, room index or None, track index or None, title key)
SLOTS = [
    ("09:00", "10:30", K.PLENARY, 0, None, "plenary_morning"),
    ("10:30", "11:00", K.BREAK, None, None, "coffee"),
    ("11:00", "12:30", K.WORKSHOP, 4, 0, "track"),
    ("11:00", "12:30", K.TRAINING, 1, 1, "track"),
    ("11:00", "12:30", K.WORKSHOP, 5, 2, "track"),
    ("11:00", "12:30", K.PANEL, 2, 3, "track"),
    ("11:00", "12:30", K.TRAINING, 3, 4, "track"),
    ("12:30", "14:00", K.BREAK, None, None, "lunch"),
    ("14:00", "15:30", K.WORKSHOP, 5, 1, "afternoon"),
    ("14:00", "15:30", K.SIDE_EVENT, 2, 3, "afternoon"),
    ("14:00", "15:30", K.WORKSHOP, 4, 4, "afternoon"),
    ("16:00", "17:30", K.PLENARY, 0, None, "plenary_afternoon"),
]
PLENARIES = {
    "plenary_morning": [
        (
            "Opening ceremony: abolition in a changing world",
            "Cérémonie d'ouverture : l'abolition dans un monde qui change",
            "حفل الافتتاح: إلغاء عقوبة الإعدام في عالم متغير",
        ),
        (
            "Plenary: voices of exonerees",
            "Plénière : la parole des personnes innocentées",
            "جلسة عامة: أصوات من ثبتت براءتهم",
        ),
        (
            "Plenary: regional strategies towards abolition",
            "Plénière : stratégies régionales vers l'abolition",
            "جلسة عامة: الاستراتيجيات الإقليمية نحو الإلغاء",
        ),
    ],
    "plenary_afternoon": [
        (
            "Plenary: the death penalty and the rule of law",
            "Plénière : peine de mort et État de droit",
            "جلسة عامة: عقوبة الإعدام وسيادة القانون",
        ),
        (
            "Plenary: parliamentarians against the death penalty",
            "Plénière : les parlementaires contre la peine de mort",
            "جلسة عامة: البرلمانيون ضد عقوبة الإعدام",
        ),
        (
            "Closing ceremony and final declaration",
            "Cérémonie de clôture et déclaration finale",
            "حفل الختام والإعلان الختامي",
        ),
    ],
}
BREAKS = {
    "coffee": ("Coffee break", "Pause café", "استراحة قهوة"),
    "lunch": ("Lunch", "Déjeuner", "غداء"),
}
TRACK_TOPICS = [
    "Monitoring terrorism trials",
    "Litigating drug cases",
    "Defending people with mental illness",
    "Working with journalists",
    "Foreign nationals on death row",
]
DAY_TOPICS = ["introduction", "case studies", "advocacy plan"]
AFTERNOON = [
    (
        "Hands-on: documenting drug executions",
        "Atelier : documenter les exécutions pour drogue",
        "ورشة عمل: توثيق الإعدامات المتعلقة بالمخدرات",
    ),
    (
        "Side event: film screening and debate",
        "Événement parallèle : projection et débat",
        "فعالية جانبية: عرض فيلم ونقاش",
    ),
    (
        "Hands-on: consular assistance for foreign nationals",
        "Atelier : l'assistance consulaire aux ressortissants étrangers",
        "ورشة عمل: المساعدة القنصلية للرعايا الأجانب",
    ),
]
SPEAKER_EMAILS = [
    "raphaelle@example.org", "amina@example.org", "youssef@example.org", "layla@example.org",
    "maryam@example.org", "saule@example.org", "oleksandr@example.org", "lin@example.org",
    "yamada@example.org", "minjun@example.org", "chidi@example.org", "wanjiru@example.org",
    "aicha@example.org", "sarah@example.org", "mariajose@example.org", "ananya@example.org",
]  # fmt: skip


def _titles(day: int, slot_index: int, slot: tuple) -> tuple[str, dict]:
    track_index, key = slot[4], slot[5]
    if key in PLENARIES:
        title, fr, ar = PLENARIES[key][day]
        return title, {"fr": fr, "ar": ar}
    if key in BREAKS:
        title, fr, ar = BREAKS[key]
        return f"{title} ({day + 1})", {"fr": f"{fr} ({day + 1})", "ar": f"{ar} ({day + 1})"}
    if key == "afternoon":
        title, fr, ar = AFTERNOON[slot_index - 8]
        number = day + 1
        return f"{title}, day {number}", {
            "fr": f"{fr}, jour {number}",
            "ar": f"{ar}، اليوم {number}",
        }
    return f"{TRACK_TOPICS[track_index]}: {DAY_TOPICS[day]}", {}


def _rooms(congress: Congress) -> list[Room]:
    rooms = []
    for position, (name, capacity, notes) in enumerate(ROOMS):
        room, _created = Room.objects.get_or_create(
            congress=congress,
            name=name,
            defaults={"capacity": capacity, "accessibility_notes": notes, "position": position},
        )
        rooms.append(room)
    return rooms


def _confirmed_registrations(congress: Congress, people: list[Person]) -> list[Registration]:
    category, _created = RegistrationCategory.objects.get_or_create(
        congress=congress,
        code="participant",
        defaults={"kind": RegistrationCategory.Kind.PARTICIPANT, "name": "Participant"},
    )
    registrations = []
    for person in people:
        registration = (
            Registration.objects.filter(congress=congress, person=person)
            .exclude(status__in=[Registration.Status.CANCELLED, Registration.Status.REJECTED])
            .first()
        )
        if registration is None:
            registration = Registration.objects.create(
                congress=congress,
                person=person,
                category=category,
                status=Registration.Status.CONFIRMED,
                confirmed_at=timezone.now(),
            )
        if registration.status == Registration.Status.CONFIRMED:
            registrations.append(registration)
    return registrations


def _session(congress, day, slot_index, slot, rooms, tracks, speakers) -> Session:
    start, end, kind, room_index, track_index, _key = slot
    title, translations = _titles(day, slot_index, slot)
    existing = Session.objects.filter(congress=congress, title=title).first()
    if existing is not None:
        return existing
    date = congress.starts_on + datetime.timedelta(days=day)
    tz = congress.tzinfo
    is_small = kind == K.WORKSHOP
    session = Session(
        congress=congress,
        kind=kind,
        status=Session.Status.PUBLISHED,
        title=title,
        title_translations=translations,
        description="" if kind == K.BREAK else f"{title}. Facilitated in small groups.",
        track=tracks[track_index] if track_index is not None else None,
        room=rooms[room_index] if room_index is not None else None,
        starts_at=datetime.datetime.combine(date, datetime.time.fromisoformat(start), tzinfo=tz),
        ends_at=datetime.datetime.combine(date, datetime.time.fromisoformat(end), tzinfo=tz),
        floor_language="fr" if (day + slot_index) % 3 == 0 else "en",
        interpretation_languages=[] if is_small else ["en", "fr", "ar", "es"],
        capacity=6 if is_small else None,
        requires_signup=kind in (K.WORKSHOP, K.TRAINING),
    )
    chosen = []
    if kind != K.BREAK:
        offset = (day * len(SLOTS) + slot_index) * 2
        first, second = speakers[offset % len(speakers)], speakers[(offset + 1) % len(speakers)]
        chosen = [(first, SessionSpeaker.Role.SPEAKER), (second, SessionSpeaker.Role.MODERATOR)]
    return save_session(session=session, speakers=chosen)


def load_programme_demo(stdout: TextIO) -> None:
    congress = Congress.objects.filter(slug=WORLD_SLUG).first()
    if congress is None:
        stdout.write("programme: no world congress, skipped\n")
        return
    rooms = _rooms(congress)
    tracks = list(congress.tracks.order_by("position", "name"))[:5]
    people = {person.email: person for person in Person.objects.filter(email__in=SPEAKER_EMAILS)}
    speakers = [people[email] for email in SPEAKER_EMAILS if email in people]
    if len(tracks) < 5 or not speakers:
        stdout.write("programme: core demo data missing, skipped\n")
        return
    sessions = [
        _session(congress, day, index, slot, rooms, tracks, speakers)
        for day in range(3)
        for index, slot in enumerate(SLOTS)
    ]
    participants = list(Person.objects.filter(email__endswith="@example.org").order_by("email"))
    registrations = _confirmed_registrations(congress, participants)
    # Fill the first day's small workshops (6 seats) beyond capacity: a waiting list forms.
    full = [
        s for s in sessions if s.kind == K.WORKSHOP and s.starts_at.date() == congress.starts_on
    ]
    for index, session in enumerate(full[:3]):
        for registration in registrations[index * 9 : index * 9 + 9]:
            if SessionSignup.objects.filter(session=session, registration=registration).exists():
                continue
            try:
                # Demo people have example.org addresses: no confirmation e-mails.
                sign_up_for_session(session=session, registration=registration, notify=False)
            except DomainError:
                continue  # already in another workshop at that time: realistic, skip
    stdout.write(
        f"programme: {len(rooms)} rooms, {len(sessions)} sessions, "
        f"{SessionSignup.objects.filter(session__congress=congress).count()} sign-ups\n"
    )
