"""Writes about learning: enrolment, progress, completion and mandatory assignments."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone

from lms.people.selectors import authorities_visible_to, authority_subtree, people_visible_to

from . import messages as msg
from .models import (
    Assignment,
    AssignmentRule,
    CoursePage,
    Enrolment,
    LessonPage,
    LessonProgress,
    ProgressEvent,
)
from .quizzes.selectors import EPOCH, quiz_ids_passed
from .selectors import course_has_steps, course_lessons, course_quizzes
from .signals import course_assigned, course_completed


def _event(*, user, course, kind, lesson=None, at=None, **data):
    ProgressEvent.objects.create(
        user=user,
        course=course,
        lesson=lesson,
        authority_id=user.authority_id,
        kind=kind,
        occurred_at=at or timezone.now(),
        data=data,
    )


@transaction.atomic
def enrolment_create(
    *,
    user,
    course: CoursePage,
    source=Enrolment.Source.SELF,
    due_on=None,
    assignment: Assignment | None = None,
) -> tuple[Enrolment, bool]:
    """Enrol a person; returns (enrolment, created). Enrolling again changes nothing,
    except that an assignment makes a self-chosen course mandatory with its due date."""
    if not course.live:
        raise ValidationError(msg.ERROR_NOT_ENROLLED)
    if source == Enrolment.Source.SELF and not course.self_enrolment:
        raise ValidationError(msg.ERROR_SELF_ENROLMENT_CLOSED)
    # Standing rules keep applying, so that nobody who joins meanwhile is missed.
    if source != Enrolment.Source.RULE and not course_has_steps(course=course):
        raise ValidationError(msg.ERROR_COURSE_WITHOUT_STEPS)
    existing = Enrolment.objects.select_for_update().filter(user=user, course=course).first()
    if existing is not None:
        enrolment, created, assigned = existing, False, False
        if source != Enrolment.Source.SELF and not existing.is_complete:
            earlier = existing.due_on is None or (due_on and due_on < existing.due_on)
            if existing.source == Enrolment.Source.SELF or earlier:
                existing.source, existing.assignment = source, assignment
                existing.due_on = due_on if earlier else existing.due_on
                existing.save(update_fields=["source", "assignment", "due_on"])
                _event(
                    user=user,
                    course=course,
                    kind=ProgressEvent.Kind.ASSIGNED,
                    due_on=str(existing.due_on),
                )
                assigned = True
    else:
        try:
            with transaction.atomic():
                enrolment = Enrolment.objects.create(
                    user=user, course=course, source=source, due_on=due_on, assignment=assignment
                )
        except IntegrityError:
            # A concurrent request enrolled the same person first.
            return Enrolment.objects.get(user=user, course=course), False
        created, assigned = True, source != Enrolment.Source.SELF
        kind = ProgressEvent.Kind.ASSIGNED if assigned else ProgressEvent.Kind.ENROLLED
        _event(user=user, course=course, kind=kind, due_on=str(due_on) if due_on else None)
    if assigned:
        # Receivers that tell the person (lms.notifications) wait for the commit.
        course_assigned.send(sender=Enrolment, enrolment=enrolment)
    return enrolment, created


@transaction.atomic
def enrolment_drop(*, user, course: CoursePage) -> None:
    """Leave a self-chosen course. Assigned courses stay; the event log keeps the history."""
    enrolment = Enrolment.objects.select_for_update().filter(user=user, course=course).first()
    if enrolment is None:
        return
    if enrolment.is_assigned:
        raise ValidationError(msg.ERROR_ASSIGNED_CANNOT_DROP)
    if enrolment.is_complete:
        # The completion (and any certificate) is a record that stays.
        raise ValidationError(msg.ERROR_COMPLETED_CANNOT_DROP)
    _event(
        user=user,
        course=course,
        kind=ProgressEvent.Kind.DROPPED,
        percent=enrolment.progress_percent,
    )
    enrolment.delete()


def _enrolment_for(*, user, lesson: LessonPage) -> Enrolment:
    course = lesson.get_parent().specific
    enrolment = Enrolment.objects.filter(user=user, course_id=course.pk).first()
    if enrolment is None or not lesson.live or not course.live:
        raise PermissionDenied(msg.ERROR_NOT_ENROLLED)
    return enrolment


@transaction.atomic
def lesson_open(*, user, lesson: LessonPage, enrolment: Enrolment | None = None) -> LessonProgress:
    """Record that a lesson was opened; the first opening is logged, later ones only resume."""
    enrolment = enrolment or _enrolment_for(user=user, lesson=lesson)
    progress, created = LessonProgress.objects.get_or_create(enrolment=enrolment, lesson=lesson)
    if created:
        _event(
            user=user, course=enrolment.course, lesson=lesson, kind=ProgressEvent.Kind.LESSON_OPENED
        )
    if enrolment.last_lesson_id != lesson.pk:
        Enrolment.objects.filter(pk=enrolment.pk).update(last_lesson=lesson)
        enrolment.last_lesson = lesson
    return progress


@transaction.atomic
def lesson_complete(*, user, lesson: LessonPage) -> Enrolment:
    """Mark a lesson done (once), refresh progress, and complete the course if the rule is met."""
    enrolment = _enrolment_for(user=user, lesson=lesson)
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    progress, _created = LessonProgress.objects.get_or_create(enrolment=enrolment, lesson=lesson)
    since = enrolment.round_started_at
    if progress.completed_at is None or (since and progress.completed_at < since):
        progress.completed_at = timezone.now()
        progress.save(update_fields=["completed_at"])
        _event(
            user=user,
            course=enrolment.course,
            lesson=lesson,
            kind=ProgressEvent.Kind.LESSON_COMPLETED,
        )
    # "Continue with" points at the lesson after the one just finished; after the last lesson
    # of a course with a quiz, at nothing, so "Mein Lernen" does not offer a finished lesson
    # and the course page leads on to the quiz.
    lessons = course_lessons(course=enrolment.course)
    ids = [item.pk for item in lessons]
    if lesson.pk in ids and ids.index(lesson.pk) + 1 < len(ids):
        enrolment.last_lesson = lessons[ids.index(lesson.pk) + 1]
        enrolment.save(update_fields=["last_lesson"])
    elif lesson.pk in ids and course_quizzes(course=enrolment.course):
        enrolment.last_lesson = None
        enrolment.save(update_fields=["last_lesson"])
    return enrolment_refresh(enrolment=enrolment)


def enrolment_refresh(*, enrolment: Enrolment, now=None) -> Enrolment:
    """Recompute the percentage and, once the completion rule is met, complete the course.

    Lessons done and quizzes passed count as steps. The course is complete when the rule's
    lessons are done and every required quiz is passed. Completion is final: lessons added to
    the course later change the percentage shown while in progress, but never take back a
    completion or its date (docs/decisions/0004).
    """
    course = enrolment.course
    lessons = course_lessons(course=course)
    quizzes = course_quizzes(course=course)
    since = enrolment.round_started_at
    done = set(
        enrolment.lessons.filter(completed_at__gte=since or EPOCH).values_list(
            "lesson_id", flat=True
        )
    )
    passed = quiz_ids_passed(user=enrolment.user, quizzes=quizzes, since=since)
    total = len(lessons) + len(quizzes)
    steps_done = len(done & {lesson.pk for lesson in lessons}) + len(passed)
    enrolment.progress_percent = round(100 * steps_done / total) if total else 0
    fields = ["progress_percent"]
    if enrolment.completed_at is None:
        if course.completion_rule == CoursePage.CompletionRule.ALL:
            needed = {lesson.pk for lesson in lessons}
        else:
            needed = {lesson.pk for lesson in lessons if lesson.required}
        quizzes_needed = {quiz.pk for quiz in quizzes if quiz.required}
        if total and needed <= done and quizzes_needed <= passed:
            enrolment.completed_at = now or timezone.now()
            fields.append("completed_at")
            _event(
                user=enrolment.user,
                course=course,
                kind=ProgressEvent.Kind.COURSE_COMPLETED,
                at=enrolment.completed_at,
            )
    if enrolment.completed_at is not None:
        enrolment.progress_percent = 100
    enrolment.save(update_fields=fields)
    if "completed_at" in fields:
        course_completed.send(sender=Enrolment, enrolment=enrolment)
    return enrolment


@transaction.atomic
def enrolment_renew(*, enrolment: Enrolment, due_on) -> bool:
    """Start a new round of a completed course (re-certification), due on `due_on`.

    The completion stays on record (events, certificate); lessons and quizzes count again from
    now on, and the attempt limit applies afresh. False if the enrolment was not complete
    (already renewed, or never completed).
    """
    from .models import QuizAttempt
    from .quizzes.services import attempt_submit

    now = timezone.now()
    # An attempt left open in the finished round is handed in there, as it stands; the new
    # round starts with none.
    open_attempts = QuizAttempt.objects.filter(
        user_id=enrolment.user_id,
        quiz__in=course_quizzes(course=enrolment.course),
        status=QuizAttempt.Status.OPEN,
    )
    for attempt in open_attempts:
        attempt_submit(attempt=attempt, now=now)
    updated = Enrolment.objects.filter(pk=enrolment.pk, completed_at__isnull=False).update(
        completed_at=None,
        round_started_at=now,
        due_on=due_on,
        progress_percent=0,
        last_lesson=None,
        source=Case(
            When(source=Enrolment.Source.SELF, then=Value(Enrolment.Source.ASSIGNED)),
            default=F("source"),
        ),
    )
    if not updated:
        return False
    enrolment.refresh_from_db()
    _event(
        user=enrolment.user,
        course=enrolment.course,
        kind=ProgressEvent.Kind.ASSIGNED,
        at=now,
        renewal=True,
        due_on=due_on.isoformat(),
    )
    return True


# Mandatory training


def _check_scope(*, by, people=(), authority=None):
    if (
        authority is not None
        and not authorities_visible_to(user=by).filter(pk=authority.pk).exists()
    ):
        raise PermissionDenied(msg.ERROR_OUT_OF_SCOPE)
    ids = {p.pk for p in people}
    if ids and people_visible_to(user=by).filter(pk__in=ids).count() != len(ids):
        raise PermissionDenied(msg.ERROR_OUT_OF_SCOPE)


@transaction.atomic
def assignment_create(*, by, course: CoursePage, due_on, people=(), authority=None) -> Assignment:
    """Assign a course to selected people or everyone in a subtree, within the assigner's scope."""
    if not people and authority is None:
        raise ValidationError(msg.ERROR_NO_TARGET)
    if due_on < timezone.localdate():
        raise ValidationError(msg.ERROR_DUE_IN_PAST)
    _check_scope(by=by, people=people, authority=authority)
    assignment = Assignment.objects.create(
        course=course, authority=authority, due_on=due_on, created_by=by
    )
    targets = list(people)
    if authority is not None:
        from lms.people.models import User

        targets += list(
            User.objects.filter(
                authority__in=authority_subtree(authority=authority), is_active=True
            )
        )
    for person in {p.pk: p for p in targets}.values():
        enrolment_create(
            user=person,
            course=course,
            source=Enrolment.Source.ASSIGNED,
            due_on=due_on,
            assignment=assignment,
        )
    return assignment


def _rule_validate(rule: AssignmentRule) -> None:
    """The rule's numbers within their limits (the model's validators), before saving."""
    rule.clean_fields(exclude=["course", "authority", "created_by", "created_at", "active"])


def _rule_apply(*, rule: AssignmentRule, user, joined_at):
    due_on = max(timezone.localdate(joined_at), timezone.localdate()) + timedelta(
        days=rule.due_after_days
    )
    enrolment_create(user=user, course=rule.course, source=Enrolment.Source.RULE, due_on=due_on)


def _rule_apply_to_members(*, rule: AssignmentRule) -> None:
    from lms.people.models import AuthorityMembership

    memberships = AuthorityMembership.objects.filter(
        authority__in=authority_subtree(authority=rule.authority),
        ended_at__isnull=True,
        user__is_active=True,
    ).select_related("user")
    for membership in memberships:
        _rule_apply(rule=rule, user=membership.user, joined_at=membership.started_at)


@transaction.atomic
def assignment_rule_create(
    *,
    by,
    course: CoursePage,
    authority,
    due_after_days: int,
    recurrence_months: int | None = None,
) -> AssignmentRule:
    """A standing rule; it applies now to everyone in the subtree and later to everyone joining.

    With a recurrence, those who completed the course long enough ago start their new round now.
    A rule for the same course and subtree is replaced (and active again).
    """
    _check_scope(by=by, authority=authority)
    _rule_validate(
        AssignmentRule(due_after_days=due_after_days, recurrence_months=recurrence_months)
    )
    rule, _created = AssignmentRule.objects.update_or_create(
        course=course,
        authority=authority,
        defaults={
            "due_after_days": due_after_days,
            "recurrence_months": recurrence_months,
            "active": True,
            "created_by": by,
        },
    )
    _rule_apply_to_members(rule=rule)
    if rule.recurrence_months:
        _rule_recur(rule=rule, today=timezone.localdate())
    return rule


@transaction.atomic
def assignment_rule_update(
    *, by, rule: AssignmentRule, due_after_days: int, recurrence_months: int | None, active: bool
) -> AssignmentRule:
    """Change a rule's days, recurrence or status, within the coordinator's scope.

    New days apply to people who join from now on; due dates already set stay. Made active again,
    the rule applies to everyone in the subtree now, as when it was created. A recurrence
    starts the new round at once for those whose completion is old enough.
    """
    if not authorities_visible_to(user=by).filter(pk=rule.authority_id).exists():
        raise PermissionDenied(msg.ERROR_OUT_OF_SCOPE)
    locked = (
        AssignmentRule.objects.select_for_update()
        .select_related("course", "authority")
        .get(pk=rule.pk)
    )
    reactivated = active and not locked.active
    locked.due_after_days = due_after_days
    locked.recurrence_months = recurrence_months
    locked.active = active
    _rule_validate(locked)
    locked.save(update_fields=["due_after_days", "recurrence_months", "active"])
    if reactivated:
        _rule_apply_to_members(rule=locked)
    if locked.active and locked.recurrence_months:
        _rule_recur(rule=locked, today=timezone.localdate())
    return locked


def assignment_rules_apply_to(*, people, joined_at) -> None:
    """Apply every active rule covering their new authority to people who just joined it.

    `people` holds (user, authority) pairs. A rule covers its node and everything below it: the
    rule's path is a prefix of the person's authority path. A handful of queries for a whole
    import, plus the enrolments made.
    """
    from lms.people.models import Authority

    rules = list(
        AssignmentRule.objects.filter(active=True, course__live=True).select_related(
            "course", "authority"
        )
    )
    if not rules:
        return
    # Paths read afresh: the caller's authority objects may predate a move in the tree.
    paths = dict(
        Authority.objects.filter(pk__in={a.pk for _u, a in people}).values_list("pk", "path")
    )
    for user, authority in people:
        path = paths[authority.pk]
        for rule in rules:
            if path.startswith(rule.authority.path):
                _rule_apply(rule=rule, user=user, joined_at=joined_at)


@transaction.atomic
def assignment_rule_deactivate(*, by, rule: AssignmentRule) -> AssignmentRule:
    """Stop a rule applying to people who join later; enrolments it made stay as they are."""
    if not authorities_visible_to(user=by).filter(pk=rule.authority_id).exists():
        raise PermissionDenied(msg.ERROR_OUT_OF_SCOPE)
    AssignmentRule.objects.filter(pk=rule.pk).update(active=False)
    rule.active = False
    return rule


def _rule_recur(*, rule: AssignmentRule, today) -> int:
    from .selectors import assignment_rule_recurrence_due, recurrence_due_on

    renewed = 0
    for enrolment in assignment_rule_recurrence_due(rule=rule, today=today):
        due_on = recurrence_due_on(
            completed_at=enrolment.completed_at, months=rule.recurrence_months
        )
        # A completion found late (the rule is new, or the job did not run) is due from today.
        if enrolment_renew(enrolment=enrolment, due_on=max(due_on, today)):
            renewed += 1
    return renewed


def assignment_rules_recur(*, today=None) -> int:
    """Start the new round of recurring mandatory training: for each active rule with a
    recurrence, people in its subtree whose completion is `recurrence_months` old, less the lead
    time (settings.ASSIGNMENT_RECURRENCE_LEAD_DAYS), are due again on that anniversary.

    Safe to run at any time and twice: a renewed enrolment is incomplete and not found again.
    Certificate renewal (certificates_renew_expiring) renews the same enrolments by their
    expiry; whichever runs first starts the round, the other then finds it incomplete.
    Overlapping rules for one course renew a person once, by the first rule that finds them.
    Returns how many enrolments were renewed.
    """
    today = today or timezone.localdate()
    rules = AssignmentRule.objects.filter(
        active=True, recurrence_months__isnull=False, course__live=True
    ).select_related("course", "authority")
    return sum(_rule_recur(rule=rule, today=today) for rule in rules.order_by("pk"))
