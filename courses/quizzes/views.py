"""Thin views for taking a quiz: start, answer page by page, submit, see the result."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from courses import messages as msg
from courses.models import QuizAttempt, QuizPage
from courses.selectors import course_outline

from . import questions as q
from .selectors import attempt_review, questions_for_page, quiz_standing
from .services import (
    AttemptClosed,
    StaleAnswers,
    TimeUp,
    attempt_check_available,
    attempt_close_if_timed_out,
    attempt_hand_in,
    attempt_save_page,
    attempt_start,
    draw_questions,
    read_page_answers,
)


def quiz_serve(request, *, quiz: QuizPage, serve, args, kwargs):
    """The quiz's own page: rules, past attempts, start or continue. For enrolled learners."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    course = quiz.get_parent().specific
    if not course.live:
        raise Http404
    outline = course_outline(course=course, user=request.user)
    if outline.enrolment is None:
        messages.info(request, msg.ERROR_NOT_ENROLLED)
        return redirect(course.url)
    standing = quiz_standing(quiz=quiz, user=request.user)
    if standing.open_attempt is not None and attempt_close_if_timed_out(
        attempt=standing.open_attempt
    ):
        standing = quiz_standing(quiz=quiz, user=request.user)
    return serve(request, *args, outline=outline, standing=standing, **kwargs)


def quiz_preview(request, *, quiz: QuizPage, with_key: bool):
    """The trainers' preview: every question in the order authored, with or without the key."""
    quiz.draw_count, quiz.shuffle_questions, quiz.shuffle_options = None, False, False
    context = quiz.get_context(request)
    context.update(questions=draw_questions(quiz=quiz), with_key=with_key)
    return TemplateResponse(request, "courses/quiz_preview.html", context)


@require_POST
def start(request, quiz_id):
    quiz = get_object_or_404(QuizPage.objects.live(), pk=quiz_id)
    if not request.user.is_authenticated:
        return redirect_to_login(quiz.url)
    try:
        attempt = attempt_start(user=request.user, quiz=quiz)
    except PermissionDenied as error:
        messages.error(request, str(error) or msg.ERROR_NOT_ENROLLED)
        return redirect(quiz.get_parent().url)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(quiz.url)
    return redirect(_resume_url(attempt))


def _resume_url(attempt):
    """The first page with an unanswered question, or the summary if all are answered."""
    for question in attempt.questions:
        if question["id"] not in attempt.answers:
            return _page_url(attempt, attempt.page_of(question["id"]))
    return reverse("courses:attempt_summary", args=[attempt.pk])


def _page_url(attempt, page):
    return reverse("courses:attempt_page", args=[attempt.pk, page])


def _result_url(attempt):
    return reverse("courses:attempt_result", args=[attempt.pk])


def _own_attempt(request, attempt_id) -> QuizAttempt:
    """Only the learner's own attempts exist for them; anyone else's is not found."""
    return get_object_or_404(
        QuizAttempt.objects.select_related("quiz"), pk=attempt_id, user=request.user
    )


def _unavailable(request):
    messages.error(request, msg.ERROR_QUIZ_UNAVAILABLE)
    return redirect("/")


def _closed_if_time_up(request, attempt) -> bool:
    was_open = attempt.is_open
    closed = attempt_close_if_timed_out(attempt=attempt)
    if was_open and closed:
        messages.warning(request, msg.ERROR_TIME_UP)
    return closed


def _other_language(course):
    """The course's language if it differs from the page's, for lang attributes on questions."""
    return course.language if course.language != get_language() else None


@login_required
@never_cache  # a page restored by Back would carry an old version and be refused
@require_http_methods(["GET", "POST"])
def attempt_page(request, attempt_id, page):
    attempt = _own_attempt(request, attempt_id)
    if not 1 <= page <= attempt.page_count:
        raise Http404
    if request.method == "GET":
        if _closed_if_time_up(request, attempt):
            return redirect(_result_url(attempt))
        try:
            course = attempt_check_available(attempt=attempt)
        except PermissionDenied:
            return _unavailable(request)
        return _render_page(request, attempt, page, course=course)

    action = request.POST.get("action", "next")
    try:
        closed = attempt_save_page(
            attempt=attempt,
            page=page,
            data=request.POST,
            version=request.POST.get("version"),
            time_up=action == "timeout",
        )
    except PermissionDenied:
        return _unavailable(request)
    except TimeUp as error:
        messages.warning(request, error.messages[0])
        return redirect(_result_url(attempt))
    except AttemptClosed as error:
        messages.info(request, error.messages[0])
        return redirect(_result_url(attempt))
    except StaleAnswers as error:
        messages.error(request, error.messages[0])
        return redirect(_page_url(attempt, page))
    except ValidationError as error:
        errors = {key: messages_[0] for key, messages_ in error.message_dict.items()}
        course = attempt.quiz.get_parent().specific
        return _render_page(
            request, attempt, page, course=course, errors=errors, posted=request.POST
        )
    if closed:
        messages.warning(request, msg.ERROR_TIME_UP)
        return redirect(_result_url(attempt))
    if action == "previous" and page > 1:
        return redirect(_page_url(attempt, page - 1))
    if action == "next" and page < attempt.page_count:
        return redirect(_page_url(attempt, page + 1))
    return redirect("courses:attempt_summary", attempt.pk)


def _render_page(request, attempt, page, *, course, errors=None, posted=None):
    answers = dict(attempt.answers)
    if posted is not None:
        # Show what the learner entered, valid or not, so nothing has to be entered twice.
        read, _errors = read_page_answers(attempt=attempt, page=page, data=posted)
        for question in attempt.page_questions(page):
            qid = question["id"]
            if q.shows_typed_input(question):
                answers[qid] = posted.get(f"q-{qid}", "")
            elif qid in read:
                answers[qid] = read[qid]
    context = {
        "attempt": attempt,
        "quiz": attempt.quiz,
        "other_language": _other_language(course),
        "page_number": page,
        "pages": range(1, attempt.page_count + 1),
        "questions": questions_for_page(attempt=attempt, page=page, answers=answers, errors=errors),
        "errors": errors,
        "seconds_left": attempt.seconds_left(),
        "answered": len(attempt.answers),
        "total": len(attempt.questions),
    }
    if errors:
        messages.error(request, msg.ERROR_INVALID_ANSWERS)
    return TemplateResponse(request, "courses/quiz_attempt.html", context)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def attempt_summary(request, attempt_id):
    """Before submitting: which questions are answered, and the button to submit."""
    attempt = _own_attempt(request, attempt_id)
    if _closed_if_time_up(request, attempt):
        return redirect(_result_url(attempt))
    try:
        course = attempt_check_available(attempt=attempt)
    except PermissionDenied:
        return _unavailable(request)
    if request.method == "POST":
        attempt = attempt_hand_in(attempt=attempt)
        if attempt.course_completed:
            messages.success(request, msg.MESSAGE_COURSE_COMPLETED % {"course": course.title})
        return redirect(_result_url(attempt))
    rows = [
        {
            "number": index + 1,
            "prompt": question["prompt"],
            "answered": question["id"] in attempt.answers,
            "url": _page_url(attempt, attempt.page_of(question["id"])),
        }
        for index, question in enumerate(attempt.questions)
    ]
    context = {
        "attempt": attempt,
        "quiz": attempt.quiz,
        "other_language": _other_language(course),
        "rows": rows,
        "unanswered": sum(1 for row in rows if not row["answered"]),
        "seconds_left": attempt.seconds_left(),
    }
    return TemplateResponse(request, "courses/quiz_summary.html", context)


@login_required
def attempt_result(request, attempt_id):
    attempt = _own_attempt(request, attempt_id)
    if attempt.is_open and not _closed_if_time_up(request, attempt):
        return redirect(_resume_url(attempt))
    standing = quiz_standing(quiz=attempt.quiz, user=request.user)
    show_key = standing.review_allowed(attempt)
    course = attempt.quiz.get_parent().specific
    context = {
        "attempt": attempt,
        "quiz": attempt.quiz,
        "course": course,
        "other_language": _other_language(course),
        "standing": standing,
        "show_key": show_key,
        "review": attempt_review(attempt=attempt, show_key=True) if show_key else None,
    }
    return TemplateResponse(request, "courses/quiz_result.html", context)
