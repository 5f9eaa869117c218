"""common.prepared: queries compiled once per connection give what the ORM gives, and the
rules that keep them correct fail loudly when broken."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.db.models.signals import post_save
from django.forms.models import model_to_dict

from common.prepared import (
    CommitPipeline,
    NextKey,
    PreparedQuery,
    PreparedQueryError,
    insert,
    rows_together,
)
from members.models import Person
from registrations.models import FeeRule, RegistrationCategory
from tests.factories.congress import CongressFactory
from tests.factories.members import OrganisationFactory
from tests.factories.registrations import FeeRuleFactory, RegistrationCategoryFactory

pytestmark = pytest.mark.django_db

_by_category = PreparedQuery(
    lambda category_id: FeeRule.objects.filter(category_id=category_id), category_id=-1
)


def test_rows_are_the_instances_the_orm_gives_in_its_order():
    category = RegistrationCategoryFactory()
    FeeRuleFactory(category=category, amount_minor=300)
    FeeRuleFactory(category=category, amount_minor=100, is_member_rate=True)
    FeeRuleFactory(amount_minor=999)  # another category's

    prepared = [model_to_dict(rule) for rule in _by_category.rows(category_id=category.pk)]
    again = [model_to_dict(rule) for rule in _by_category.rows(category_id=category.pk)]

    assert prepared == [model_to_dict(rule) for rule in FeeRule.objects.filter(category=category)]
    assert again == prepared


def test_a_datetime_placeholder_is_adapted_as_the_orm_adapts_it():
    congress = CongressFactory()
    now = datetime.datetime(2027, 5, 1, 12, 0, tzinfo=datetime.UTC)
    RegistrationCategoryFactory(congress=congress, code="early", closes_at=now)
    RegistrationCategoryFactory(congress=congress, code="late", closes_at=None)
    closing = PreparedQuery(
        lambda congress_id, at: RegistrationCategory.objects.filter(
            congress_id=congress_id, closes_at__lte=at
        ).values_list("code"),
        congress_id=-1,
        at=datetime.datetime(1901, 1, 1, tzinfo=datetime.UTC),
    )

    before = closing.rows(congress_id=congress.pk, at=now - datetime.timedelta(seconds=1))
    at = closing.rows(congress_id=congress.pk, at=now)

    assert (before, at) == ([], [("early",)])


def test_a_text_placeholder_without_like_characters_is_refused():
    prepared = PreparedQuery(lambda email: Person.objects.filter(email=email), email="x@y")

    with pytest.raises(PreparedQueryError) as raised:
        prepared.rows(email="someone@example.org")

    assert str(raised.value) == "the text placeholder 'email' must contain % and _"


def test_a_placeholder_the_lookup_escapes_is_refused_not_run_unescaped():
    """`contains` turns the value into a LIKE pattern (escaped): running it with a new value
    as given would make `_` and `%` wildcards."""
    prepared = PreparedQuery(
        lambda text: Person.objects.filter(name__contains=text), text="prepared%_name"
    )

    with pytest.raises(PreparedQueryError) as raised:
        prepared.rows(text="a_b")

    assert str(raised.value) == "placeholders not found in the compiled query: ['text']"


def test_a_locking_query_that_joins_is_refused():
    """RegistrationCategory's ordering joins its congress: FOR UPDATE would lock it too."""
    prepared = PreparedQuery(
        lambda pk: RegistrationCategory.objects.select_for_update().filter(pk=pk), pk=-1
    )

    with transaction.atomic(), pytest.raises(PreparedQueryError) as raised:
        prepared.rows(pk=1)

    assert str(raised.value) == "a PreparedQuery that locks rows must read one table"


def test_insert_saves_the_row_save_would_and_sends_its_signals():
    organisation = OrganisationFactory()
    seen = []

    def receiver(sender, instance, created, **kwargs):
        seen.append((sender, instance.pk, created))

    post_save.connect(receiver, sender=Person, dispatch_uid="test_prepared_insert")
    try:
        person = insert(
            Person(email="amal@example.org", name="Amal", organisation=organisation, country="TN")
        )
    finally:
        post_save.disconnect(sender=Person, dispatch_uid="test_prepared_insert")
    saved = Person(email="amal@example.org", name="Amal", organisation=organisation, country="TN")
    saved.save()

    stored = Person.objects.get(pk=person.pk)
    expected = model_to_dict(Person.objects.get(pk=saved.pk), exclude=["id"])
    assert (person._state.adding, seen) == (False, [(Person, person.pk, True)])
    assert model_to_dict(stored, exclude=["id"]) | {"created_at": None} == expected | {
        "created_at": None
    }
    assert stored.created_at is not None


def test_queries_run_together_give_each_query_its_own_rows_in_order():
    category = RegistrationCategoryFactory()
    FeeRuleFactory(category=category, amount_minor=300)
    other = RegistrationCategoryFactory()
    FeeRuleFactory(category=other, amount_minor=999)
    names = PreparedQuery(
        lambda category_id: RegistrationCategory.objects.filter(pk=category_id).values_list(
            "code", flat=False
        ),
        category_id=-1,
    )

    together = rows_together(
        (_by_category, {"category_id": category.pk}),
        (names, {"category_id": other.pk}),
        (_by_category, {"category_id": -5}),
    )

    assert [[model_to_dict(row) for row in together[0]], together[1], together[2]] == [
        [model_to_dict(rule) for rule in FeeRule.objects.filter(category=category)],
        [(other.code,)],
        [],
    ]


def _fee_rule(category, key, amount_minor: int) -> FeeRule:
    rule = FeeRuleFactory.build(category=category, amount_minor=amount_minor)
    rule.pk = key
    return rule


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_row_sent_with_the_commit_is_saved_and_on_commit_callbacks_can_query():
    category = RegistrationCategoryFactory()
    key = NextKey(FeeRule).rows()[0][0]
    seen = []

    with CommitPipeline() as pipeline, transaction.atomic():
        transaction.on_commit(
            lambda: seen.append(list(FeeRule.objects.values_list("pk", "amount_minor")))
        )
        pipeline.insert(_fee_rule(category, key, 1500))

    assert seen == [[(key, 1500)]]
    assert list(FeeRule.objects.values_list("pk", "amount_minor")) == [(key, 1500)]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_an_insert_refused_at_the_commit_raises_saves_nothing_and_leaves_the_connection_usable():
    category = RegistrationCategoryFactory()
    taken = FeeRuleFactory(category=category, amount_minor=700)
    seen = []

    def register_a_rule_then_a_taken_key() -> None:
        with CommitPipeline() as pipeline, transaction.atomic():
            transaction.on_commit(lambda: seen.append("committed"))
            # Rolled back with the rest:
            FeeRuleFactory(category=RegistrationCategoryFactory(), amount_minor=800)
            pipeline.insert(_fee_rule(category, taken.pk, 900))  # its key is taken

    with pytest.raises(IntegrityError):
        register_a_rule_then_a_taken_key()

    assert seen == []
    assert list(FeeRule.objects.values_list("pk", "amount_minor")) == [(taken.pk, 700)]


def test_inside_a_larger_transaction_the_insert_waits_for_its_answer():
    """A savepoint has no COMMIT to go with: the INSERT's error comes from insert() itself,
    where the caller can still handle it."""
    category = RegistrationCategoryFactory()
    taken = FeeRuleFactory(category=category, amount_minor=700)

    with CommitPipeline() as pipeline, transaction.atomic():
        with pytest.raises(IntegrityError), transaction.atomic():
            pipeline.insert(_fee_rule(category, taken.pk, 900))
        member_rate = _fee_rule(category, None, 950)
        member_rate.is_member_rate = True
        added = pipeline.insert(member_rate)

    assert sorted(FeeRule.objects.values_list("amount_minor", flat=True)) == [700, 950]
    assert added.pk is not None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_query_after_the_insert_sent_with_the_commit_sees_the_row():
    """SQL after `insert` in the block still works: psycopg sends the INSERT and waits for
    both answers (only the saved round trip is lost)."""
    category = RegistrationCategoryFactory()
    key = NextKey(FeeRule).rows()[0][0]

    with CommitPipeline() as pipeline, transaction.atomic():
        pipeline.insert(_fee_rule(category, key, 1500))
        seen_inside = list(FeeRule.objects.values_list("pk", "amount_minor"))

    assert seen_inside == [(key, 1500)]
    assert list(FeeRule.objects.values_list("pk", "amount_minor")) == [(key, 1500)]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_statement_sent_with_the_commit_gives_its_rows_after_it_before_the_callbacks():
    category = RegistrationCategoryFactory()
    seen = []

    with CommitPipeline() as pipeline, transaction.atomic():
        transaction.on_commit(lambda: seen.append("on commit"))
        pipeline.send(
            "INSERT INTO registrations_feerule (category_id, is_member_rate, amount_minor) "
            "SELECT id, false, 1200 FROM registrations_registrationcategory WHERE id = %s "
            "RETURNING amount_minor",
            [category.pk],
            then=seen.append,
        )
        assert seen == []  # not answered before the COMMIT

    assert seen == [[(1200,)], "on commit"]
    assert list(FeeRule.objects.values_list("amount_minor", flat=True)) == [1200]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_statement_sent_with_the_commit_that_fails_rolls_everything_back():
    category = RegistrationCategoryFactory()
    seen = []

    def add_a_rule_then_fail() -> None:
        with CommitPipeline() as pipeline, transaction.atomic():
            FeeRuleFactory(category=category, amount_minor=800)
            pipeline.send(
                "INSERT INTO registrations_feerule (category_id, is_member_rate, amount_minor) "
                "VALUES (%s, false, NULL) RETURNING id",
                [category.pk],
                then=seen.append,
            )

    with pytest.raises(IntegrityError):
        add_a_rule_then_fail()

    assert seen == []
    assert list(FeeRule.objects.values_list("amount_minor", flat=True)) == []
    assert FeeRuleFactory(category=category, amount_minor=900).pk is not None  # usable


def test_only_the_outermost_transaction_sends_statements_with_its_commit():
    with CommitPipeline() as pipeline, transaction.atomic():
        assert pipeline.sends is False  # a savepoint inside the test's transaction
        with pytest.raises(RuntimeError):
            pipeline.send("SELECT 1", [])
