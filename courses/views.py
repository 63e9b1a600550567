"""Thin views: enrol, open and finish lessons. The rules live in services."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from . import messages as msg
from .models import CoursePage, LessonPage
from .selectors import course_outline
from .services import enrolment_create, enrolment_drop, lesson_complete, lesson_open


def lesson_serve(request, *, lesson: LessonPage, serve, args, kwargs):
    """Lessons are for enrolled, signed-in learners; editors previewing see them as they are."""
    if getattr(request, "is_preview", False):
        return serve(request, *args, **kwargs)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    # Routing left the course on the lesson, so this costs no query.
    course = lesson.get_parent().specific
    if not course.live:
        raise Http404
    outline = course_outline(course=course, user=request.user)
    if outline.enrolment is None:
        messages.info(request, msg.ERROR_NOT_ENROLLED)
        return redirect(course.url)
    state = next((s for s in outline.lessons if s.lesson.pk == lesson.pk), None)
    if state is None or not state.opened or outline.enrolment.last_lesson_id != lesson.pk:
        # Only a first visit or a change of place writes; reading a lesson again does not.
        lesson_open(user=request.user, lesson=lesson, enrolment=outline.enrolment)
    return serve(request, *args, outline=outline, **kwargs)


def _live_course(course_id):
    return get_object_or_404(CoursePage.objects.live(), pk=course_id)


@require_POST
def enrol(request, course_id):
    course = _live_course(course_id)
    if not request.user.is_authenticated:
        return redirect_to_login(course.url)
    try:
        _enrolment, created = enrolment_create(user=request.user, course=course)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(course.url)
    messages.success(request, msg.MESSAGE_ENROLLED if created else msg.MESSAGE_ALREADY_ENROLLED)
    outline = course_outline(course=course, user=request.user)
    target = outline.resume_lesson
    return redirect(target.url if target else course.url)


@require_POST
def drop(request, course_id):
    course = get_object_or_404(CoursePage, pk=course_id)
    if not request.user.is_authenticated:
        return redirect_to_login(course.url or "/")
    try:
        enrolment_drop(user=request.user, course=course)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(course.url or "/")
    messages.success(request, msg.MESSAGE_DROPPED % {"course": course.title})
    return redirect("/")


@require_POST
def complete(request, lesson_id):
    lesson = get_object_or_404(LessonPage.objects.live(), pk=lesson_id)
    if not request.user.is_authenticated:
        return redirect_to_login(lesson.url)
    try:
        enrolment = lesson_complete(user=request.user, lesson=lesson)
    except PermissionDenied:
        raise Http404 from None
    course = enrolment.course
    outline = course_outline(course=course, user=request.user)
    _before, after = outline.neighbours(lesson)
    if after is not None:
        return redirect(after.url)
    if outline.next_quiz is not None and not enrolment.completed_at:
        return redirect(outline.next_quiz.url)
    if enrolment.completed_at:
        messages.success(request, msg.MESSAGE_COURSE_COMPLETED % {"course": course.title})
    return redirect(course.url)
