"""Attempts through the services: drawing, limits, saving, time limits, results and completion."""

import random
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from courses import messages as msg
from courses.models import Enrolment, ProgressEvent, QuizAttempt, QuizPage
from courses.quizzes.selectors import grace, quiz_ids_passed, quiz_standing
from courses.quizzes.services import (
    AttemptClosed,
    StaleAnswers,
    TimeUp,
    attempt_save,
    attempt_start,
    attempt_submit,
    attempts_close_timed_out,
    draw_questions,
)
from courses.services import enrolment_create, lesson_complete
from tests.courses.conftest import add_course, lessons_of, publish
from tests.courses.quizzes.conftest import (
    T0,
    add_quiz,
    answer_page,
    every_type,
    form,
    right_fields,
    wrong_fields,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MINUTE = timedelta(minutes=1)


def pool(size):
    """A pool of true/false questions "Aussage 1".. "Aussage N", all true."""
    return [
        ("true_false", {"prompt": f"Aussage {n}", "points": Decimal(1), "correct": True})
        for n in range(1, size + 1)
    ]


def answer_all(attempt, *, right=True, now=T0):
    """Answer every page of the attempt, as the learner clicks through it."""
    for page in range(1, attempt.page_count + 1):
        attempt = attempt_save(
            attempt=attempt,
            page=page,
            data=answer_page(attempt, page, right=right),
            version=attempt.version,
            now=now,
        )
    return attempt


def take(quiz, user, *, right=True, now=T0):
    """Start, answer and submit one attempt at `now`."""
    attempt = attempt_start(user=user, quiz=quiz, now=now)
    answer_all(attempt, right=right, now=now)
    return attempt_submit(attempt=attempt, now=now)


def submitted_events(user):
    return ProgressEvent.objects.filter(user=user, kind=ProgressEvent.Kind.QUIZ_SUBMITTED)


def republish_with(quiz, questions):
    quiz = QuizPage.objects.get(pk=quiz.pk)
    quiz.questions = questions
    return publish(quiz)


# Starting


def test_starting_needs_an_enrolment(learner, quiz):
    with pytest.raises(PermissionDenied):
        attempt_start(user=learner, quiz=quiz, now=T0)
    assert not QuizAttempt.objects.exists()


def test_an_unpublished_quiz_cannot_be_started(enrolled, quiz):
    quiz.unpublish()
    with pytest.raises(PermissionDenied):
        attempt_start(user=enrolled, quiz=QuizPage.objects.get(pk=quiz.pk), now=T0)


def test_starting_again_resumes_the_open_attempt(enrolled, quiz):
    first = attempt_start(user=enrolled, quiz=quiz, now=T0)
    again = attempt_start(user=enrolled, quiz=quiz, now=T0 + MINUTE)
    assert again.pk == first.pk
    assert again.questions == first.questions
    assert QuizAttempt.objects.count() == 1


def test_an_attempt_has_every_question_of_the_quiz_by_default(enrolled, quiz):
    attempt = attempt_start(user=enrolled, quiz=quiz, now=T0)
    assert [question["type"] for question in attempt.questions] == [t for t, _ in every_type()]
    assert attempt.page_count == 2
    assert attempt.pass_mark == 70


# Drawing from a pool


def test_an_attempt_draws_the_set_number_of_different_questions(enrolled, course):
    quiz = add_quiz(course, questions=pool(7), draw_count=3)
    attempt = attempt_start(user=enrolled, quiz=quiz, now=T0)
    prompts = [question["prompt"] for question in attempt.questions]
    assert len(prompts) == 3
    assert len(set(prompts)) == 3
    assert set(prompts) <= {f"Aussage {n}" for n in range(1, 8)}


def test_different_attempts_draw_different_questions(course):
    quiz = add_quiz(course, questions=pool(7), draw_count=3)
    drawn = {
        frozenset(
            question["prompt"] for question in draw_questions(quiz=quiz, rng=random.Random(seed))
        )
        for seed in range(20)
    }
    assert len(drawn) > 1
    assert all(len(prompts) == 3 for prompts in drawn)


def test_questions_keep_their_authored_order_unless_shuffled(course):
    quiz = add_quiz(course, questions=pool(5), shuffle_questions=False)
    for seed in range(10):
        prompts = [
            question["prompt"] for question in draw_questions(quiz=quiz, rng=random.Random(seed))
        ]
        assert prompts == [f"Aussage {n}" for n in range(1, 6)]


def test_shuffled_questions_come_in_different_orders(course):
    quiz = add_quiz(course, questions=pool(5), shuffle_questions=True)
    orders = {
        tuple(question["prompt"] for question in draw_questions(quiz=quiz, rng=random.Random(seed)))
        for seed in range(10)
    }
    assert len(orders) > 1


# Keys and the order shown


def test_option_keys_differ_between_attempts_and_reveal_nothing(course, org):
    quiz = add_quiz(course)
    keys = []
    for _ in range(2):
        user = UserFactory(authority=org["rpda"])
        enrolment_create(user=user, course=course)
        single = attempt_start(user=user, quiz=quiz, now=T0).questions[0]
        keys.append({option["key"] for option in single["options"]})
    assert not keys[0] & keys[1]
    assert not keys[0] & {"0", "1", "2", "a", "b", "c", "true", "false"}


def test_shuffled_options_are_not_always_in_the_authored_order(course):
    quiz = add_quiz(course, shuffle_options=True)
    authored = ["Onlinezugangsgesetz", "Ordnungszuständigkeitsgesetz", "Organisationszentralgesetz"]
    orders = {
        tuple(o["text"] for o in draw_questions(quiz=quiz, rng=random.Random(seed))[0]["options"])
        for seed in range(20)
    }
    assert orders - {tuple(authored)}
    assert len(orders) > 1


def test_options_stay_in_the_authored_order_when_not_shuffled(course):
    quiz = add_quiz(course, shuffle_options=False)
    single = draw_questions(quiz=quiz)[0]
    assert [o["text"] for o in single["options"]] == [
        "Onlinezugangsgesetz",
        "Ordnungszuständigkeitsgesetz",
        "Organisationszentralgesetz",
    ]


# Any display order can come up, the right one included: an order that never appears would
# tell something about the answer (with two items, everything).
SEEDS = [random.Random(seed) for seed in range(120)]


@pytest.mark.parametrize("shuffle_options", [True, False])
def test_ordering_items_come_in_every_order(course, shuffle_options):
    questions = [
        ("ordering", {"prompt": "Ordnen", "points": 1, "items": ["Erst", "Dann", "Zuletzt"]})
    ]
    quiz = add_quiz(course, questions=questions, shuffle_options=shuffle_options)
    seen = set()
    for rng in SEEDS:
        question = draw_questions(quiz=quiz, rng=rng)[0]
        right = {key: place for place, key in enumerate(question["correct_order"])}
        seen.add(tuple(right[item["key"]] for item in question["items"]))
    assert len(seen) == 6  # 3! orders, each with chance 1/6; missing one: p < 1e-8


@pytest.mark.parametrize("shuffle_options", [True, False])
def test_matches_come_in_every_arrangement(course, shuffle_options):
    pairs = [{"left": "BSI", "right": "Sicherheit"}, {"left": "FITKO", "right": "Föderal"}]
    questions = [("matching", {"prompt": "Zuordnen", "points": 1, "pairs": pairs})]
    quiz = add_quiz(course, questions=questions, shuffle_options=shuffle_options)
    beside_seen = set()
    for rng in SEEDS:
        question = draw_questions(quiz=quiz, rng=rng)[0]
        beside = [question["pairs"][left["key"]] for left in question["lefts"]]
        beside_seen.add([right["key"] for right in question["rights"]] == beside)
    assert beside_seen == {True, False}


# Snapshots


def test_editing_the_quiz_changes_no_open_attempt(enrolled, quiz):
    attempt = attempt_start(user=enrolled, quiz=quiz, now=T0)
    frozen = attempt.questions
    edited = every_type()
    edited[0][1]["prompt"] = "Geänderte Frage"
    edited[0][1]["options"][0]["correct"], edited[0][1]["options"][1]["correct"] = False, True
    republish_with(quiz, edited[:2])

    attempt = attempt_start(user=enrolled, quiz=QuizPage.objects.get(pk=quiz.pk), now=T0)
    assert attempt.questions == frozen
    answer_all(attempt)
    result = attempt_submit(attempt=attempt, now=T0)
    # Graded by the key as it was when the attempt started.
    assert result.score == result.max_score == Decimal(7)
    assert result.passed


def test_editing_the_quiz_changes_no_graded_result(enrolled, quiz):
    graded = take(quiz, enrolled)
    republish_with(quiz, pool(2))
    graded.refresh_from_db()
    assert (graded.score, graded.percent, graded.passed) == (Decimal(7), Decimal(100), True)
    assert len(graded.questions) == 7
    assert graded.questions[0]["prompt"] == "Wofür steht OZG?"


def test_the_next_attempt_gets_the_edited_quiz(enrolled, quiz):
    take(quiz, enrolled, right=False)
    republish_with(quiz, pool(2))
    attempt = attempt_start(user=enrolled, quiz=QuizPage.objects.get(pk=quiz.pk), now=T0)
    assert [question["prompt"] for question in attempt.questions] == ["Aussage 1", "Aussage 2"]


# Attempt limit and waiting time


def test_no_attempt_beyond_the_limit(enrolled, course):
    quiz = add_quiz(course, max_attempts=2)
    take(quiz, enrolled, right=False)
    take(quiz, enrolled, right=False)
    with pytest.raises(ValidationError) as error:
        attempt_start(user=enrolled, quiz=quiz, now=T0)
    assert error.value.messages == [msg.ERROR_NO_ATTEMPTS_LEFT]
    assert QuizAttempt.objects.filter(user=enrolled).count() == 2
    assert quiz_standing(quiz=quiz, user=enrolled, now=T0).can_start is False


def test_unlimited_attempts_have_no_limit(enrolled, course):
    quiz = add_quiz(course, max_attempts=None)
    for _ in range(5):
        take(quiz, enrolled, right=False)
    standing = quiz_standing(quiz=quiz, user=enrolled, now=T0)
    assert standing.attempts_left is None and standing.can_start


def test_the_next_attempt_waits_for_the_waiting_time(enrolled, course):
    quiz = add_quiz(course, wait_minutes=60)
    take(quiz, enrolled, right=False, now=T0)

    with pytest.raises(ValidationError) as error:
        attempt_start(user=enrolled, quiz=quiz, now=T0 + 59 * MINUTE)
    assert "03.03.2025 11:00" in error.value.messages[0]  # Europe/Berlin, German format
    standing = quiz_standing(quiz=quiz, user=enrolled, now=T0 + 59 * MINUTE)
    assert standing.next_start_at == T0 + 60 * MINUTE and not standing.can_start

    attempt = attempt_start(user=enrolled, quiz=quiz, now=T0 + 60 * MINUTE)
    assert attempt.number == 2


# Which attempt counts


def test_the_best_attempt_counts_by_default(enrolled, course):
    quiz = add_quiz(course, counting=QuizPage.Counting.BEST)
    first = take(quiz, enrolled, right=True)
    take(quiz, enrolled, right=False)
    standing = quiz_standing(quiz=quiz, user=enrolled, now=T0)
    assert standing.counted.pk == first.pk
    assert standing.passed
    assert quiz_ids_passed(user=enrolled, quizzes=[quiz]) == {quiz.pk}


def test_the_last_attempt_counts_when_set(enrolled, course):
    quiz = add_quiz(course, counting=QuizPage.Counting.LAST)
    take(quiz, enrolled, right=True)
    last = take(quiz, enrolled, right=False)
    standing = quiz_standing(quiz=quiz, user=enrolled, now=T0)
    assert standing.counted.pk == last.pk
    assert not standing.passed
    assert quiz_ids_passed(user=enrolled, quizzes=[quiz]) == set()


def test_whether_quizzes_are_passed_is_read_in_one_query_however_many_attempts(
    enrolled, course, django_assert_num_queries
):
    quiz = add_quiz(course, counting=QuizPage.Counting.BEST)
    for right in (False, False, True):
        take(quiz, enrolled, right=right)
    # Submitting asks this inside its transaction, while the enrolment row is locked.
    with django_assert_num_queries(1):
        assert quiz_ids_passed(user=enrolled, quizzes=[quiz]) == {quiz.pk}


def test_an_open_attempt_does_not_count(enrolled, quiz):
    attempt = attempt_start(user=enrolled, quiz=quiz, now=T0)
    answer_all(attempt)
    standing = quiz_standing(quiz=quiz, user=enrolled, now=T0)
    assert standing.counted is None and not standing.passed


def test_the_pass_mark_decides_passed(enrolled, course):
    # 7 questions of 1 point: 5 right is 71.4 %.
    quiz = add_quiz(course, pass_mark=72)
    attempt = attempt_start(user=enrolled, quiz=quiz, now=T0)
    fields = {}
    for index, question in enumerate(attempt.questions):
        fields.update(right_fields(question) if index < 5 else wrong_fields(question))
    for page in (1, 2):
        attempt = attempt_save(
            attempt=attempt, page=page, data=form(fields), version=attempt.version, now=T0
        )
    result = attempt_submit(attempt=attempt, now=T0)
    assert (result.score, result.percent, result.passed) == (Decimal(5), Decimal("71.4"), False)


# Review policies


@pytest.mark.parametrize(
    ("policy", "after_failing", "after_passing"),
    [
        (QuizPage.Review.SCORE_ONLY, False, False),
        (QuizPage.Review.AFTER_EACH, True, True),
        (QuizPage.Review.AFTER_PASS, False, True),
        (QuizPage.Review.AFTER_LAST, False, True),  # the pass used the last of 2 attempts
    ],
)
def test_review_policies(enrolled, course, policy, after_failing, after_passing):
    quiz = add_quiz(course, review=policy, max_attempts=2)
    failed = take(quiz, enrolled, right=False)
    standing = quiz_standing(quiz=quiz, user=enrolled, now=T0)
    assert standing.review_allowed(failed) is after_failing

    passed = take(quiz, enrolled, right=True)
    standing = quiz_standing(quiz=quiz, user=enrolled, now=T0)
    assert standing.review_allowed(passed) is after_passing


def test_review_after_the_last_attempt_waits_for_the_last_attempt(enrolled, course):
    quiz = add_quiz(course, review=QuizPage.Review.AFTER_LAST, max_attempts=3)
    first = take(quiz, enrolled, right=True)
    assert not quiz_standing(quiz=quiz, user=enrolled, now=T0).review_allowed(first)
    take(quiz, enrolled, right=False)
    take(quiz, enrolled, right=False)
    assert quiz_standing(quiz=quiz, user=enrolled, now=T0).review_allowed(first)


@pytest.mark.parametrize("policy", QuizPage.Review.values)
def test_an_open_attempt_is_never_reviewed(enrolled, course, policy):
    quiz = add_quiz(course, review=policy, max_attempts=1)
    attempt = attempt_start(user=enrolled, quiz=quiz, now=T0)
    assert not quiz_standing(quiz=quiz, user=enrolled, now=T0).review_allowed(attempt)


# Saving answers


def test_saving_keeps_answers_of_other_pages(enrolled, quiz):
    attempt = attempt_start(user=enrolled, quiz=quiz, now=T0)
    attempt = answer_all(attempt)
    attempt.refresh_from_db()
    assert set(attempt.answers) == {question["id"] for question in attempt.questions}
    assert attempt.version == 2


def test_a_stale_tab_cannot_overwrite_newer_answers(enrolled, quiz):
    attempt = attempt_start(user=enrolled, quiz=quiz, now=T0)
    tab_one = QuizAttempt.objects.get(pk=attempt.pk)
    tab_two = QuizAttempt.objects.get(pk=attempt.pk)
    single = attempt.questions[0]

    attempt_save(attempt=tab_one, page=1, data=form(right_fields(single)), version=0, now=T0)
    with pytest.raises(StaleAnswers):
        attempt_save(attempt=tab_two, page=1, data=form(wrong_fields(single)), version=0, now=T0)

    attempt.refresh_from_db()
    assert attempt.answers == {single["id"]: right_fields(single)[f"q-{single['id']}"]}
    assert attempt.version == 1


def test_a_stale_version_from_a_fresh_load_is_refused(enrolled, quiz):
    attempt = attempt_start(user=enrolled, quiz=quiz, now=T0)
    single = attempt.questions[0]
    attempt_save(attempt=attempt, page=1, data=form(right_fields(single)), version=0, now=T0)
    reloaded = QuizAttempt.objects.get(pk=attempt.pk)
    with pytest.raises(StaleAnswers):
        attempt_save(attempt=reloaded, page=1, data=form(wrong_fields(single)), version=0, now=T0)
    with pytest.raises(StaleAnswers):
        attempt_save(attempt=reloaded, page=1, data=form(), version="x", now=T0)
    reloaded.refresh_from_db()
    assert reloaded.answers[single["id"]] == right_fields(single)[f"q-{single['id']}"]


def test_an_invalid_answer_saves_nothing_of_the_page(enrolled, quiz):
    attempt = attempt_start(user=enrolled, quiz=quiz, now=T0)
    single, multiple, true_false, short_text = attempt.page_questions(1)
    data = form(
        {
            **right_fields(single),
            **right_fields(short_text),
            f"q-{multiple['id']}": "fremd",
            f"q-{true_false['id']}": "vielleicht",
        }
    )
    with pytest.raises(ValidationError) as error:
        attempt_save(attempt=attempt, page=1, data=data, version=0, now=T0)
    assert set(error.value.message_dict) == {multiple["id"], true_false["id"]}
    attempt.refresh_from_db()
    assert attempt.answers == {} and attempt.version == 0


def test_only_the_pages_own_questions_are_read(enrolled, quiz):
    attempt = attempt_start(user=enrolled, quiz=quiz, now=T0)
    second_page = answer_page(attempt, 2)
    second_page.update({"score": "100", "passed": "true"})
    attempt_save(attempt=attempt, page=1, data=second_page, version=0, now=T0)
    attempt.refresh_from_db()
    assert attempt.answers == {} and attempt.score is None


def test_clearing_an_answer_removes_it(enrolled, quiz):
    attempt = attempt_start(user=enrolled, quiz=quiz, now=T0)
    attempt = attempt_save(attempt=attempt, page=1, data=answer_page(attempt, 1), version=0, now=T0)
    attempt = attempt_save(attempt=attempt, page=1, data=form(), version=1, now=T0)
    attempt.refresh_from_db()
    assert attempt.answers == {}


def test_a_submitted_attempt_takes_no_more_answers(enrolled, quiz):
    attempt = take(quiz, enrolled, right=False)
    with pytest.raises(AttemptClosed):
        attempt_save(
            attempt=attempt, page=1, data=answer_page(attempt, 1), version=attempt.version, now=T0
        )
    attempt.refresh_from_db()
    assert attempt.score == 0


def test_a_tab_that_missed_the_submit_cannot_save(enrolled, quiz):
    attempt = attempt_start(user=enrolled, quiz=quiz, now=T0)
    old_tab = QuizAttempt.objects.get(pk=attempt.pk)
    attempt_submit(attempt=attempt, now=T0)
    with pytest.raises(AttemptClosed):
        attempt_save(attempt=old_tab, page=1, data=answer_page(old_tab, 1), version=0, now=T0)
    attempt.refresh_from_db()
    assert attempt.answers == {} and attempt.score == 0


# Submitting


def test_submitting_grades_what_was_saved(enrolled, quiz):
    attempt = attempt_start(user=enrolled, quiz=quiz, now=T0)
    attempt = attempt_save(attempt=attempt, page=1, data=answer_page(attempt, 1), version=0, now=T0)
    result = attempt_submit(attempt=attempt, now=T0 + MINUTE)
    assert result.status == QuizAttempt.Status.SUBMITTED
    assert (result.score, result.max_score, result.percent) == (
        Decimal(4),
        Decimal(7),
        Decimal("57.1"),
    )
    assert result.submitted_at == T0 + MINUTE
    assert result.passed is False
    assert sum(1 for r in result.results.values() if r["correct"]) == 4


def test_submitting_twice_records_one_result(enrolled, quiz):
    attempt = attempt_start(user=enrolled, quiz=quiz, now=T0)
    answer_all(attempt)
    first = attempt_submit(attempt=attempt, now=T0 + MINUTE)
    again = attempt_submit(attempt=QuizAttempt.objects.get(pk=attempt.pk), now=T0 + 2 * MINUTE)
    assert (again.score, again.percent, again.submitted_at) == (
        first.score,
        first.percent,
        T0 + MINUTE,
    )
    assert submitted_events(enrolled).count() == 1
    event = submitted_events(enrolled).get()
    assert event.data["passed"] is True and event.data["percent"] == "100.0"


def test_submitting_from_a_stale_copy_grades_the_saved_answers(enrolled, quiz):
    attempt = attempt_start(user=enrolled, quiz=quiz, now=T0)
    stale_copy = QuizAttempt.objects.get(pk=attempt.pk)
    answer_all(attempt)
    result = attempt_submit(attempt=stale_copy, now=T0)
    assert result.score == Decimal(7)


# Time limit


@pytest.fixture
def timed_quiz(course):
    return add_quiz(course, time_limit_minutes=10)


def test_a_timed_attempt_has_a_deadline(enrolled, timed_quiz):
    attempt = attempt_start(user=enrolled, quiz=timed_quiz, now=T0)
    assert attempt.deadline == T0 + 10 * MINUTE
    assert attempt.seconds_left(now=T0 + 9 * MINUTE) == 60


def test_an_answer_within_the_grace_period_is_accepted(enrolled, timed_quiz):
    attempt = attempt_start(user=enrolled, quiz=timed_quiz, now=T0)
    late = T0 + 10 * MINUTE + grace()
    attempt = attempt_save(
        attempt=attempt, page=1, data=answer_page(attempt, 1), version=0, now=late
    )
    result = attempt_submit(attempt=attempt, now=late)
    assert result.status == QuizAttempt.Status.SUBMITTED
    assert result.score == Decimal(4)


def test_an_answer_after_the_grace_period_closes_the_attempt(enrolled, timed_quiz):
    attempt = attempt_start(user=enrolled, quiz=timed_quiz, now=T0)
    attempt = attempt_save(
        attempt=attempt, page=1, data=answer_page(attempt, 1), version=0, now=T0 + 5 * MINUTE
    )
    too_late = T0 + 10 * MINUTE + grace() + timedelta(seconds=1)
    with pytest.raises(TimeUp) as error:
        attempt_save(attempt=attempt, page=2, data=answer_page(attempt, 2), version=1, now=too_late)
    assert error.value.messages == [msg.ERROR_TIME_UP]
    attempt.refresh_from_db()
    assert attempt.status == QuizAttempt.Status.TIMED_OUT
    # Graded with the first page, saved in time; the late second page is not.
    assert attempt.score == Decimal(4)
    assert set(attempt.answers) == {question["id"] for question in attempt.page_questions(1)}
    assert submitted_events(enrolled).get().data["timed_out"] is True


def test_submitting_after_the_grace_period_counts_as_timed_out(enrolled, timed_quiz):
    attempt = attempt_start(user=enrolled, quiz=timed_quiz, now=T0)
    answer_all(attempt, now=T0 + MINUTE)
    result = attempt_submit(attempt=attempt, now=T0 + 11 * MINUTE)
    assert result.status == QuizAttempt.Status.TIMED_OUT
    assert result.score == Decimal(7) and result.passed


def test_abandoned_attempts_are_closed_after_the_grace_period(enrolled, org, course, timed_quiz):
    other = UserFactory(authority=org["rpda"])
    enrolment_create(user=other, course=course)
    abandoned = attempt_start(user=enrolled, quiz=timed_quiz, now=T0)
    answer_all(abandoned, now=T0 + MINUTE)
    running = attempt_start(user=other, quiz=timed_quiz, now=T0 + 5 * MINUTE)

    assert attempts_close_timed_out(now=T0 + 10 * MINUTE + grace()) == 0
    closed_at = T0 + 10 * MINUTE + grace() + timedelta(seconds=1)
    assert attempts_close_timed_out(now=closed_at) == 1

    abandoned.refresh_from_db()
    running.refresh_from_db()
    assert abandoned.status == QuizAttempt.Status.TIMED_OUT
    # Dated when its time ran out, not when the periodic task noticed.
    assert (abandoned.score, abandoned.passed, abandoned.submitted_at) == (
        Decimal(7),
        True,
        T0 + 10 * MINUTE + grace(),
    )
    assert running.is_open
    assert attempts_close_timed_out(now=closed_at) == 0
    assert submitted_events(enrolled).count() == 1


def test_a_timed_out_attempt_is_closed_when_the_learner_returns(enrolled, course):
    quiz = add_quiz(course, time_limit_minutes=10, max_attempts=2)
    first = attempt_start(user=enrolled, quiz=quiz, now=T0)
    answer_all(first, now=T0 + MINUTE)
    second = attempt_start(user=enrolled, quiz=quiz, now=T0 + 20 * MINUTE)
    first.refresh_from_db()
    assert first.status == QuizAttempt.Status.TIMED_OUT and first.score == Decimal(7)
    assert second.number == 2 and second.is_open


def test_a_timed_out_attempt_stays_closed_when_no_attempt_may_follow(enrolled, course):
    quiz = add_quiz(course, time_limit_minutes=10, max_attempts=1)
    attempt = attempt_start(user=enrolled, quiz=quiz, now=T0)
    answer_all(attempt, right=False, now=T0 + MINUTE)
    with pytest.raises(ValidationError) as error:
        attempt_start(user=enrolled, quiz=quiz, now=T0 + 20 * MINUTE)
    assert error.value.messages == [msg.ERROR_NO_ATTEMPTS_LEFT]
    attempt.refresh_from_db()
    assert attempt.status == QuizAttempt.Status.TIMED_OUT
    # Closed when noticed, dated when its time (limit + grace) ended.
    assert attempt.submitted_at == T0 + 10 * MINUTE + grace()
    assert submitted_events(enrolled).count() == 1


def test_a_timed_out_attempt_stays_closed_while_the_next_must_wait(enrolled, course):
    quiz = add_quiz(course, time_limit_minutes=10, wait_minutes=60)
    attempt = attempt_start(user=enrolled, quiz=quiz, now=T0)
    with pytest.raises(ValidationError) as error:
        attempt_start(user=enrolled, quiz=quiz, now=T0 + 20 * MINUTE)
    # The wait runs from the end of the timed-out attempt's time: 10:10:30 + 60 minutes.
    assert "03.03.2025 11:10" in error.value.messages[0]  # Europe/Berlin, German format
    attempt.refresh_from_db()
    assert attempt.status == QuizAttempt.Status.TIMED_OUT and attempt.score == 0
    standing = quiz_standing(quiz=quiz, user=enrolled, now=T0 + 20 * MINUTE)
    assert standing.open_attempt is None and not standing.can_start


# Progress and completion


@pytest.fixture
def two_lessons_and_quiz(catalog):
    course = add_course(catalog, title="Datenschutz", lessons=2)
    return course, lessons_of(course)


def finish_lessons(user, lessons):
    enrolment = None
    for lesson in lessons:
        enrolment = lesson_complete(user=user, lesson=lesson)
    return enrolment


def enrolment_of(user, course):
    return Enrolment.objects.get(user=user, course=course)


def test_lessons_and_a_passed_quiz_complete_the_course(learner, two_lessons_and_quiz):
    course, lessons = two_lessons_and_quiz
    quiz = add_quiz(course)
    enrolment_create(user=learner, course=course)

    enrolment = finish_lessons(learner, lessons)
    assert enrolment.completed_at is None
    assert enrolment.progress_percent == 67  # 2 of 3 steps: the quiz is one

    take(quiz, learner, right=True)
    enrolment = enrolment_of(learner, course)
    assert enrolment.completed_at is not None
    assert enrolment.progress_percent == 100
    events = ProgressEvent.objects.filter(user=learner).order_by("pk")
    kinds = list(events.values_list("kind", flat=True))
    assert kinds[-2:] == ["quiz_submitted", "course_completed"]


def test_a_failed_quiz_does_not_complete_the_course(learner, two_lessons_and_quiz):
    course, lessons = two_lessons_and_quiz
    quiz = add_quiz(course)
    enrolment_create(user=learner, course=course)
    finish_lessons(learner, lessons)
    take(quiz, learner, right=False)
    enrolment = enrolment_of(learner, course)
    assert enrolment.completed_at is None
    assert enrolment.progress_percent == 67
    assert not ProgressEvent.objects.filter(user=learner, kind="course_completed").exists()


def test_passing_the_quiz_before_the_lessons_completes_with_the_last_lesson(
    learner, two_lessons_and_quiz
):
    course, lessons = two_lessons_and_quiz
    quiz = add_quiz(course)
    enrolment_create(user=learner, course=course)
    take(quiz, learner, right=True)
    enrolment = enrolment_of(learner, course)
    assert enrolment.completed_at is None and enrolment.progress_percent == 33
    assert finish_lessons(learner, lessons).completed_at is not None


def test_an_optional_quiz_does_not_block_completion(learner, two_lessons_and_quiz):
    course, lessons = two_lessons_and_quiz
    add_quiz(course, required=False)
    enrolment_create(user=learner, course=course)
    enrolment = finish_lessons(learner, lessons)
    assert enrolment.completed_at is not None
    assert enrolment.progress_percent == 100


def test_every_required_quiz_must_be_passed(learner, two_lessons_and_quiz):
    course, lessons = two_lessons_and_quiz
    first = add_quiz(course, title="Zwischentest")
    second = add_quiz(course, title="Abschlusstest")
    enrolment_create(user=learner, course=course)
    finish_lessons(learner, lessons)
    take(first, learner, right=True)
    assert enrolment_of(learner, course).completed_at is None
    assert enrolment_of(learner, course).progress_percent == 75
    take(second, learner, right=True)
    assert enrolment_of(learner, course).completed_at is not None


def test_a_later_failed_attempt_does_not_take_back_completion(learner, two_lessons_and_quiz):
    course, lessons = two_lessons_and_quiz
    quiz = add_quiz(course, counting=QuizPage.Counting.LAST)
    enrolment_create(user=learner, course=course)
    finish_lessons(learner, lessons)
    take(quiz, learner, right=True)
    completed_at = enrolment_of(learner, course).completed_at
    take(quiz, learner, right=False)
    assert enrolment_of(learner, course).completed_at == completed_at
