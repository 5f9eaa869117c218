"""Demo step for calls for participation: an open call on the world congress and a closed,
decided call on the regional congress, with submissions in French, English and Arabic,
reviewer assignments and reviews. Natural keys everywhere: a second run changes nothing."""

import datetime
from typing import TextIO

from django.contrib.auth import get_user_model
from django.utils import timezone

from cfp.models import (
    Answer,
    CallForParticipation,
    DecisionEmailTemplate,
    Question,
    Review,
    ReviewAssignment,
    ReviewerInvitation,
    Submission,
    SubmissionType,
)
from cfp.services.decisions import decide_submissions
from congress.demo import (
    DEMO_ORGANISER_PASSWORD,
    DEMO_REVIEWER_USERNAME,
    REGIONAL_SLUG,
    WORLD_SLUG,
)
from congress.models import Congress, CongressRole, Track
from members.models import Person

SECOND_REVIEWER_USERNAME = "reviewer2"
T = SubmissionType

WORLD_SUBMISSIONS = [
    # (submitter e-mail, language, type, track slug, title, abstract, scores)
    (
        "raphaelle@example.org",
        "fr",
        T.WORKSHOP,
        "mental-illness",
        "Défendre les condamnés atteints de troubles mentaux",
        "Un atelier pratique pour les avocats : repérer les troubles mentaux dès l'arrestation, "
        "obtenir une expertise indépendante et plaider l'exclusion de la peine capitale.",
        (5, 4),
    ),
    (
        "sara@example.org",
        "en",
        T.TALK,
        "drug-policy",
        "Drug offences and the death penalty in South Asia",
        "Findings from ten years of case files: who is sentenced to death for drug offences, "
        "how foreign nationals are treated, and what reforms have worked.",
        (4, 3),
    ),
    (
        "amina@example.org",
        "ar",
        T.PANEL,
        "media",
        "الإعلام ودوره في إلغاء عقوبة الإعدام",
        "جلسة نقاش مع صحفيين من تونس والمغرب والأردن حول تغطية قضايا الإعدام وتغيير الرأي العام.",
        (5,),
    ),
    (
        "rahim@example.org",
        "en",
        T.TESTIMONY,
        "migrants-minorities",
        "Foreign nationals on death row: a family's story",
        "The sister of a migrant worker sentenced to death abroad speaks about consular "
        "assistance, interpretation at trial and the campaign that saved his life.",
        (),
    ),
    (
        "youssef@example.org",
        "ar",
        T.TALK,
        "counter-terrorism",
        "مكافحة الإرهاب وضمانات المحاكمة العادلة",
        "عرض لقوانين مكافحة الإرهاب في شمال أفريقيا وأثرها على أحكام الإعدام وضمانات الدفاع.",
        (3, 2),
    ),
    (
        "aicha@example.org",
        "fr",
        T.SIDE_EVENT,
        "",
        "Projection : « Couloir de la mort, Abidjan »",
        "Projection d'un documentaire suivie d'un échange avec la réalisatrice.",
        (),
    ),
]

REGIONAL_SUBMISSIONS = [
    (
        "siti@example.org",
        "en",
        T.WORKSHOP,
        "drug-policy",
        "Mandatory death sentences after the Malaysian reform",
        "What changed when judges regained discretion, and how defence teams use it.",
        (5, 4),
        Submission.Status.ACCEPTED,
    ),
    (
        "layla@example.org",
        "ar",
        T.TALK,
        "drug-policy",
        "قضايا المخدرات والعمال المهاجرين في آسيا",
        "دراسة حالات عمال مهاجرين عرب محكوم عليهم بالإعدام في قضايا مخدرات.",
        (3, 3),
        Submission.Status.WAITLISTED,
    ),
    (
        "zoe@example.org",
        "fr",
        T.POSTER,
        "drug-policy",
        "Cartographie des exécutions pour trafic de stupéfiants",
        "Un poster présentant les données 2015-2025 par pays de la région.",
        (2, 2),
        Submission.Status.REJECTED,
    ),
]

DECISION_TEMPLATES = {
    ("accepted", "en"): (
        "Your proposal “{title}” was accepted",
        "Dear {name},\n\nYour proposal “{title}” was accepted for {congress}.\n\n{comments}",
    ),
    ("accepted", "fr"): (
        "Votre proposition « {title} » est retenue",
        "Chère, cher {name},\n\nVotre proposition « {title} » est retenue pour {congress}."
        "\n\n{comments}",
    ),
    ("accepted", "ar"): (
        "تم قبول مقترحكم «{title}»",
        # Arabic text next to Latin placeholders: the letters are meant.
        "{name}،\n\nيسعدنا إبلاغكم بقبول مقترحكم «{title}» في {congress}.\n\n{comments}",  # noqa: RUF001
    ),
}


def _user(username: str, email: str):
    user, created = get_user_model().objects.get_or_create(
        username=username, defaults={"email": email}
    )
    if created:
        user.set_password(DEMO_ORGANISER_PASSWORD)
        user.save(update_fields=["password"])
    return user


def _reviewers(congresses: list[Congress]):
    first = get_user_model().objects.get(username=DEMO_REVIEWER_USERNAME)
    second = _user(SECOND_REVIEWER_USERNAME, "reviewer2@example.org")
    # The second reviewer works for the Amman Center: never given its proposals.
    Person.objects.filter(email="layla@example.org", user__isnull=True).update(user=second)
    for congress in congresses:
        for user in (first, second):
            CongressRole.objects.get_or_create(
                congress=congress, user=user, role=CongressRole.Role.REVIEWER
            )
    return [first, second]


def _world_call(world: Congress) -> CallForParticipation:
    tz = world.tzinfo
    today = timezone.now().astimezone(tz).date()
    call, created = CallForParticipation.objects.get_or_create(
        congress=world,
        slug="speakers-and-workshops",
        defaults={
            "title": "Call for speakers, workshops and side events",
            "title_translations": {
                "fr": "Appel à intervenants, ateliers et événements parallèles",
                "ar": "دعوة لتقديم المداخلات وورش العمل والفعاليات الجانبية",
            },
            "description": (
                "Share your experience with abolitionists from fifty countries. Proposals may "
                "be written in English, French or Arabic."
            ),
            "description_translations": {
                "fr": "Partagez votre expérience avec des abolitionnistes de cinquante pays.",
                "ar": "شاركوا تجربتكم مع مناهضي عقوبة الإعدام من خمسين دولة.",
            },
            "opens_at": datetime.datetime.combine(
                today - datetime.timedelta(days=30), datetime.time(0, 0), tzinfo=tz
            ),
            "closes_at": datetime.datetime.combine(
                today + datetime.timedelta(days=90), datetime.time(0, 0), tzinfo=tz
            ),
            "submission_types": list(T.values),
            "languages": ["en", "fr", "ar"],
            "word_limit": 300,
            "is_anonymised": True,
        },
    )
    if created:
        call.tracks.set(Track.objects.filter(congress=world))
    Question.objects.get_or_create(
        call=call,
        label="Short biography of the speakers",
        defaults={
            "label_translations": {
                "fr": "Courte biographie des intervenants",
                "ar": "نبذة قصيرة عن المتحدثين",
            },
            "kind": Question.Kind.LONG_TEXT,
            "is_required": True,
            "is_identifying": True,
            "position": 1,
        },
    )
    Question.objects.get_or_create(
        call=call,
        label="Have you spoken at a world congress before?",
        defaults={
            "label_translations": {
                "fr": "Êtes-vous déjà intervenu·e lors d'un congrès mondial ?",
                "ar": "هل سبق لكم التحدث في مؤتمر عالمي؟",
            },
            "kind": Question.Kind.YES_NO,
            "position": 2,
        },
    )
    Question.objects.get_or_create(
        call=call,
        label="CV (PDF, DOCX, ODT or text)",
        defaults={
            "label_translations": {"fr": "CV (PDF, DOCX, ODT ou texte)", "ar": "السيرة الذاتية"},
            "kind": Question.Kind.FILE,
            "is_identifying": True,
            "position": 3,
        },
    )
    return call


def _regional_call(regional: Congress) -> CallForParticipation:
    tz = regional.tzinfo
    call, created = CallForParticipation.objects.get_or_create(
        congress=regional,
        slug="proposals",
        defaults={
            "title": "Call for proposals",
            "title_translations": {"fr": "Appel à propositions", "ar": "دعوة لتقديم المقترحات"},
            "opens_at": datetime.datetime(2026, 5, 1, 0, 0, tzinfo=tz),
            "closes_at": datetime.datetime(2026, 9, 1, 0, 0, tzinfo=tz),
            "submission_types": [T.TALK, T.WORKSHOP, T.POSTER],
            "languages": ["en", "fr", "ar"],
            "word_limit": 200,
            "is_anonymised": False,
        },
    )
    if created:
        call.tracks.set(Track.objects.filter(congress=regional))
    for (decision, language), (subject, body) in DECISION_TEMPLATES.items():
        DecisionEmailTemplate.objects.get_or_create(
            call=call,
            decision=decision,
            language=language,
            defaults={"subject": subject, "body": body},
        )
    return call


def _submission(call, email, language, kind, track_slug, title, abstract) -> Submission:
    person = Person.objects.get(email=email)
    submission, _created = Submission.objects.get_or_create(
        call=call,
        title=title,
        defaults={
            "congress": call.congress,
            "submitter": person,
            "organisation": person.organisation,
            "submission_type": kind,
            "track": Track.objects.filter(congress=call.congress, slug=track_slug).first(),
            "language": language,
            "abstract": abstract,
        },
    )
    return submission


def _review(submission: Submission, reviewers, scores) -> None:
    eligible = [
        reviewer
        for reviewer in reviewers
        if getattr(getattr(reviewer, "person", None), "organisation_id", None) is None
        or reviewer.person.organisation_id != submission.organisation_id
    ]
    for reviewer, score in zip(eligible, scores, strict=False):
        ReviewAssignment.objects.get_or_create(submission=submission, reviewer=reviewer)
        Review.objects.get_or_create(
            submission=submission,
            reviewer=reviewer,
            defaults={
                "score": score,
                "comment_for_committee": "Clear, well-documented proposal."
                if score >= 4
                else "Interesting, but overlaps with other sessions.",
            },
        )


def load_cfp_demo(stdout: TextIO) -> None:
    world = Congress.objects.get(slug=WORLD_SLUG)
    regional = Congress.objects.get(slug=REGIONAL_SLUG)
    reviewers = _reviewers([world, regional])
    world_call = _world_call(world)
    regional_call = _regional_call(regional)
    for call in (world_call, regional_call):
        for reviewer in reviewers:
            ReviewerInvitation.objects.get_or_create(call=call, reviewer=reviewer)
    biography = world_call.questions.get(kind=Question.Kind.LONG_TEXT)
    for email, language, kind, track, title, abstract, scores in WORLD_SUBMISSIONS:
        submission = _submission(world_call, email, language, kind, track, title, abstract)
        Answer.objects.get_or_create(
            submission=submission,
            question=biography,
            defaults={"value": f"{submission.submitter.name}: 10 years of abolitionist work."},
        )
        _review(submission, reviewers, scores)
    for email, language, kind, track, title, abstract, scores, decision in REGIONAL_SUBMISSIONS:
        submission = _submission(regional_call, email, language, kind, track, title, abstract)
        _review(submission, reviewers, scores)
        if submission.status == Submission.Status.SUBMITTED:
            # Decided through the service, once: accepted proposals become draft sessions.
            decide_submissions(
                call=regional_call, submission_ids=[submission.pk], decision=decision
            )
