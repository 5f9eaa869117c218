import datetime

import factory

from cfp.models import (
    CallForParticipation,
    Question,
    Review,
    ReviewAssignment,
    Submission,
    SubmissionType,
)
from tests.factories.base import BaseFactory
from tests.factories.congress import CongressFactory
from tests.factories.members import PersonFactory

OPENS_AT = datetime.datetime(2026, 1, 1, 0, 0, tzinfo=datetime.UTC)
CLOSES_AT = datetime.datetime(2026, 3, 31, 22, 0, tzinfo=datetime.UTC)  # midnight in Paris
DURING_CALL = datetime.datetime(2026, 2, 1, 12, 0, tzinfo=datetime.UTC)


class CallFactory(BaseFactory):
    class Meta:
        model = CallForParticipation

    congress = factory.SubFactory(CongressFactory)
    slug = factory.Sequence(lambda n: f"call-{n}")
    title = factory.Sequence(lambda n: f"Call {n}")
    opens_at = OPENS_AT
    closes_at = CLOSES_AT
    submission_types = factory.LazyFunction(lambda: [SubmissionType.TALK, SubmissionType.WORKSHOP])
    languages = factory.LazyFunction(lambda: ["en", "fr", "ar"])
    word_limit = 50


class QuestionFactory(BaseFactory):
    class Meta:
        model = Question

    call = factory.SubFactory(CallFactory)
    label = factory.Sequence(lambda n: f"Question {n}")
    kind = Question.Kind.TEXT


class SubmissionFactory(BaseFactory):
    class Meta:
        model = Submission

    call = factory.SubFactory(CallFactory)
    congress = factory.SelfAttribute("call.congress")
    submitter = factory.SubFactory(PersonFactory)
    submission_type = SubmissionType.TALK
    language = "en"
    title = factory.Sequence(lambda n: f"Proposal {n}")
    abstract = "A short abstract."


class ReviewAssignmentFactory(BaseFactory):
    class Meta:
        model = ReviewAssignment

    submission = factory.SubFactory(SubmissionFactory)
    reviewer = None


class ReviewFactory(BaseFactory):
    class Meta:
        model = Review

    submission = factory.SubFactory(SubmissionFactory)
    reviewer = None
    score = 3
