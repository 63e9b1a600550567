import pytest

from courses.models import CoursePage, LessonPage
from tests.factories import CatalogPageFactory, CoursePageFactory, LessonPageFactory, lesson_body


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def add_course(catalog, *, title="E-Akte in der Praxis", lessons=2, optional=(), **fields):
    """A live course with live lessons; lessons named "Lektion 1".. in their order."""
    course = CoursePageFactory(parent=catalog, title=title, **fields)
    for number in range(1, lessons + 1):
        LessonPageFactory(
            parent=course,
            title=f"Lektion {number}",
            body=lesson_body(f"Inhalt {number}"),
            required=number not in optional,
        )
    return CoursePage.objects.get(pk=course.pk)


@pytest.fixture
def catalog(db):
    return CatalogPageFactory(title="Kurse", slug="kurse")


@pytest.fixture
def course(catalog):
    return add_course(catalog)


def lessons_of(course):
    return list(LessonPage.objects.child_of(course).order_by("path"))
