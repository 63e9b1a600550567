import pytest

from courses.models import CatalogPage, CoursePage, LessonPage
from home.models import HomePage


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def add_course(catalog, *, title="E-Akte in der Praxis", lessons=2, optional=(), **fields):
    """A live course with live lessons; lessons named "Lektion 1".. in their order."""
    defaults = {
        "summary": "Arbeiten mit der elektronischen Akte.",
        "duration_minutes": 45,
    }
    course = catalog.add_child(instance=CoursePage(title=title, **{**defaults, **fields}))
    publish(course)
    for number in range(1, lessons + 1):
        lesson = course.add_child(
            instance=LessonPage(
                title=f"Lektion {number}",
                body=[("text", f"<p>Inhalt {number}</p>")],
                required=number not in optional,
            )
        )
        publish(lesson)
    return CoursePage.objects.get(pk=course.pk)


@pytest.fixture
def catalog(db):
    home = HomePage.objects.first()
    return publish(home.add_child(instance=CatalogPage(title="Kurse", slug="kurse")))


@pytest.fixture
def course(catalog):
    return add_course(catalog)


def lessons_of(course):
    return list(LessonPage.objects.child_of(course).order_by("path"))
