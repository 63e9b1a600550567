"""The catalogue search finds word parts, compounds and inflected forms, in German and English.

The German courses are the demo's own (what a learner sees after `make run`); the search runs
through the catalogue page as a learner's browser sends it.
"""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.demo import COURSES, _course
from courses.models import LessonPage
from tests.courses.conftest import add_course, lessons_of, publish

pytestmark = pytest.mark.django_db

OZG = "Grundlagen des Onlinezugangsgesetzes"
EAKTE = "E-Akte in der Praxis"
SECURITY = "Informationssicherheit am Arbeitsplatz"
ACCESSIBLE = "Barrierefreie Dokumente erstellen"
ENGLISH = "Writing accessible documents"


@pytest.fixture
def visitor(client):
    client.cookies["lms_language"] = "en"
    return client


def add_lessons(course, *lessons):
    """Live lessons (title, text) added to a course, in this order."""
    for title, text in lessons:
        publish(course.add_child(instance=LessonPage(title=title, body=[("text", text)])))


@pytest.fixture
def demo_catalogue(catalog):
    """The demo's German courses and one English course."""
    for spec in COURSES:
        _course(catalog, spec)
    english = add_course(
        catalog,
        title=ENGLISH,
        slug="accessible-documents",
        summary="Documents that everyone can read, on screen and on paper.",
        language="en",
        lessons=0,
    )
    add_lessons(
        english,
        ("Headings and structure", "<p>Screen readers jump from heading to heading.</p>"),
        ("Describing images", "<p>Alternative texts say what a picture means.</p>"),
    )
    return catalog


def found(client, catalog, query, **filters):
    """The course titles the catalogue lists for this search, in the order shown."""
    response = client.get(catalog.url, {"q": query, **filters})
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    return [" ".join(card.h3.get_text(" ").split()) for card in page.select(".course-card")]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Onlinezugang", [OZG]),  # the first part of a compound
        ("onlinezugangsgesetz", [OZG]),  # lower case, the genitive in the title
        ("barrierefrei", [ACCESSIBLE]),  # "Barrierefreie", "barrierefreien"
        ("dokument", [ACCESSIBLE, EAKTE]),  # "Dokumente" in a title, in a lesson title
        ("Passwort", [SECURITY]),  # "Passwörter": plural with umlaut
    ],
)
def test_a_learner_finds_courses_by_a_word_part_or_form(visitor, demo_catalogue, typed, expected):
    assert found(visitor, demo_catalogue, typed) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Passwörtern", [SECURITY]),
        ("PASSWOERTER", [SECURITY]),  # umlaut typed as oe
        ("Dokumenten", [ACCESSIBLE, EAKTE]),
        ("barrierefreien", [ACCESSIBLE]),
        ("Onlinezugangsgesetzes", [OZG]),
        ("e-akte", [EAKTE]),
        ("Ende-zu-Ende-Digitalisierung", [OZG]),  # in a lesson's text only
        ("Aussonderung", [EAKTE]),  # a lesson title
        ("Landesarchiv", [EAKTE]),  # a lesson's text
        ("Schutzziele", [SECURITY]),
    ],
)
def test_inflected_and_transliterated_forms_and_lesson_words_are_found(
    visitor, demo_catalogue, typed, expected
):
    assert found(visitor, demo_catalogue, typed) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("document", [ENGLISH]),
        ("Documents", [ENGLISH]),
        ("heading", [ENGLISH]),  # lesson title, and "headings"
        ("readers", [ENGLISH]),  # a lesson's text
        ("picture", [ENGLISH]),
    ],
)
def test_english_words_find_the_english_course(visitor, demo_catalogue, typed, expected):
    assert found(visitor, demo_catalogue, typed, language="en") == expected


def test_every_word_of_a_search_must_occur_and_small_words_do_not_count(visitor, demo_catalogue):
    assert found(visitor, demo_catalogue, "Passwort Phishing") == [SECURITY]
    assert found(visitor, demo_catalogue, "Passwort Aktenplan") == []
    assert found(visitor, demo_catalogue, "Kurs für Passwörter") == []  # "Kurs" is nowhere
    assert found(visitor, demo_catalogue, "Passwörter für die Arbeit") == [SECURITY]


def test_a_title_hit_ranks_above_a_lesson_title_hit_above_a_text_hit(visitor, catalog):
    in_text = add_course(catalog, title="Aktenführung", slug="a", lessons=0)
    add_lessons(in_text, ("Ablage", "<p>Auch der Datenschutz gilt für Akten.</p>"))
    in_lesson_title = add_course(catalog, title="Bürgerservice", slug="b", lessons=0)
    add_lessons(in_lesson_title, ("Datenschutz am Schalter", "<p>Diskret beraten.</p>"))
    add_course(catalog, title="Datenschutz kompakt", slug="c", lessons=1)
    add_course(catalog, title="Zeiterfassung", slug="d", lessons=1)

    assert found(visitor, catalog, "datenschutz") == [
        "Datenschutz kompakt",
        "Bürgerservice",
        "Aktenführung",
    ]


def test_search_and_filters_narrow_the_list_together(visitor, demo_catalogue):
    assert found(visitor, demo_catalogue, "dokument", mandatory="no") == [ACCESSIBLE, EAKTE]
    assert found(visitor, demo_catalogue, "dokument", target_group="caseworkers") == [EAKTE]
    assert found(visitor, demo_catalogue, "dokument", language="en") == []
    assert found(visitor, demo_catalogue, "document", language="en") == [ENGLISH]
    assert found(visitor, demo_catalogue, "Passwort", topic="Informationssicherheit") == [SECURITY]
    assert found(visitor, demo_catalogue, "Passwort", topic="OZG") == []


def test_a_newly_published_lesson_is_found_and_an_unpublished_one_no_longer(visitor, catalog):
    course = add_course(catalog, title="Verwaltungsdeutsch", lessons=1)
    lesson = course.add_child(
        instance=LessonPage(title="Bürgernahe Sprache", body=[("text", "<p>Kurze Sätze.</p>")])
    )
    lesson.save_revision()  # a draft is not searched
    assert found(visitor, catalog, "bürgernah") == []

    publish(lesson)
    assert found(visitor, catalog, "bürgernah") == ["Verwaltungsdeutsch"]
    assert found(visitor, catalog, "Sätze") == ["Verwaltungsdeutsch"]

    lesson.unpublish()
    assert found(visitor, catalog, "bürgernah") == []


def test_a_course_renamed_on_publishing_is_found_by_its_new_title(visitor, catalog):
    course = add_course(catalog, title="Verwaltungsdeutsch", lessons=1)
    course.title = "Leichte Sprache"
    publish(course)
    assert found(visitor, catalog, "leicht") == ["Leichte Sprache"]
    assert found(visitor, catalog, "Verwaltungsdeutsch") == []


def test_a_deleted_lesson_is_no_longer_found(visitor, catalog, django_capture_on_commit_callbacks):
    course = add_course(catalog, title="Verwaltungsdeutsch", lessons=0)
    add_lessons(course, ("Bürgernahe Sprache", "<p>Kurze Sätze.</p>"), ("Briefe", "<p>Anrede</p>"))
    with django_capture_on_commit_callbacks(execute=True):
        lessons_of(course)[0].delete()
    assert found(visitor, catalog, "bürgernah") == []
    assert found(visitor, catalog, "Anrede") == ["Verwaltungsdeutsch"]


@pytest.mark.parametrize("typed", ["%", "_", "%%%", "' OR 1=1 --", "ß" * 300, "\u00ad"])
def test_odd_input_is_searched_as_text_and_never_fails(visitor, demo_catalogue, typed):
    titles = found(visitor, demo_catalogue, typed)
    assert len(titles) <= len(COURSES) + 1


@pytest.mark.parametrize("typed", ["%", "_", "?!", "- –"])
def test_signs_alone_are_no_wildcard_and_find_nothing(visitor, demo_catalogue, typed):
    assert found(visitor, demo_catalogue, typed) == []


def queries_of_search(client, catalog, courses):
    """Queries of a search listing this many more matching courses than before."""
    for n in range(courses):
        add_course(catalog, title=f"Dokumentenmanagement {courses}-{n}", slug=f"dm-{courses}-{n}")
    client.get(catalog.url, {"q": "dokument"})  # the process's own caches fill once
    with CaptureQueriesContext(connection) as captured:
        titles = found(client, catalog, "dokument")
    return len(titles), len(captured)


def test_searching_costs_as_many_queries_for_12_courses_as_for_2(client, catalog):
    listed, few = queries_of_search(client, catalog, 2)
    assert listed == 2
    listed, many = queries_of_search(client, catalog, 10)
    assert (listed, many) == (12, few)
