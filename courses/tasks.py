"""Periodic and background work for courses; each task only calls a service."""

from celery import shared_task

from .assignments.services import assignment_rules_recur as _assignment_rules_recur
from .quizzes.services import attempts_close_timed_out


@shared_task
def quiz_attempts_close_timed_out() -> int:
    """Grade attempts left open after their time ran out, so results and reports are complete."""
    return attempts_close_timed_out()


@shared_task
def assignment_rules_recur() -> int:
    """Start the new round of recurring mandatory training; safe to run twice."""
    return _assignment_rules_recur()
