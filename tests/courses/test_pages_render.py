"""What learners see: catalogue, course page, lessons with every block, and "Mein Lernen".

Pages are requested in English (cookie for visitors, preferred language for signed-in people),
so the assertions on words keep holding once the German translations exist.
"""

import json
from datetime import timedelta
from urllib.parse import parse_qs

import pytest
from bs4 import BeautifulSoup
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.documents.models import Document
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from courses.models import CoursePage, Enrolment, LessonPage
from courses.services import enrolment_create
from tests.courses.conftest import add_course, lessons_of, publish
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

VIDEO_URL = "https://video.example/watch/datenschutz"


def html(response):
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def text_of(node):
    return " ".join(node.get_text(" ").split())


@pytest.fixture
def visitor(client):
    client.cookies["lms_language"] = "en"
    return client


@pytest.fixture
def learner(org):
    return UserFactory(authority=org["rpda"], first_name="Alex", preferred_language="en")


@pytest.fixture
def learner_client(client, learner):
    client.force_login(learner)
    return client


def tagged(course, *topics):
    course.topics.add(*topics)
    publish(course)
    return CoursePage.objects.get(pk=course.pk)


# Course page


def test_a_visitor_sees_the_overview_and_a_sign_in_link_but_no_lesson_links(visitor, course):
    course.objectives = "<ul><li>Akten elektronisch führen</li></ul>"
    course.prerequisites = "Keine"
    course.validity_months = 24
    publish(course)
    page = html(visitor.get(course.url))

    assert page.html["lang"] == "en"
    assert page.h1.get_text(strip=True) == course.title
    assert "Arbeiten mit der elektronischen Akte." in text_of(page)
    assert "Akten elektronisch führen" in text_of(page)
    assert "24 months" in text_of(page)
    sign_in = page.find(id="signin-link")
    login_path, query = sign_in["href"].split("?")
    assert login_path == reverse("account_login")
    assert parse_qs(query) == {"next": [course.url]}
    assert page.find(id="enrol-form") is None
    lessons = page.find(id="lesson-list")
    assert [li.find("span").get_text(strip=True) for li in lessons.find_all("li")] == [
        "Lektion 1",
        "Lektion 2",
    ]
    assert lessons.find("a") is None
    for lesson in lessons_of(course):
        assert f'href="{lesson.url}"' not in page.decode()


def test_a_learner_not_enrolled_sees_the_enrol_button_and_lessons_send_back(learner_client, course):
    page = html(learner_client.get(course.url))
    form = page.find(id="enrol-form")
    assert form["method"] == "post"
    assert form["action"] == reverse("courses:enrol", args=[course.pk])
    assert form.find("input", attrs={"name": "csrfmiddlewaretoken"}) is not None
    assert form.find("button", type="submit").get_text(strip=True) == "Enrol"
    assert page.find(id="lesson-list").find("a") is None

    response = learner_client.get(lessons_of(course)[0].url)
    assert response.status_code == 302
    assert response["Location"] == course.url


def test_a_course_closed_to_self_enrolment_says_to_ask_hr(learner_client, catalog):
    closed = add_course(catalog, title="Nur auf Zuweisung", self_enrolment=False)
    page = html(learner_client.get(closed.url))
    assert page.find(id="enrol-form") is None
    assert "ask your HR coordinator" in page.find(id="ask-hr").get_text()


def test_enrolling_lands_in_the_first_lesson(learner_client, course):
    first = lessons_of(course)[0]
    response = learner_client.post(reverse("courses:enrol", args=[course.pk]), follow=True)
    assert response.redirect_chain[-1][0] == first.url
    page = html(response)
    assert page.h1.get_text(strip=True) == "Lektion 1"
    assert page.find(id="course-link")["href"] == course.url
    form = page.find(id="complete-form")
    assert form["action"] == reverse("courses:complete", args=[first.pk])
    assert form.find("button").get_text(strip=True) == "Mark as done and continue"
    assert "Lesson 1 of 2" in text_of(page)

    overview = html(learner_client.get(course.url))
    assert overview.find("progress", id="course-progress")["value"] == "0"
    assert "0 % done" in text_of(overview)
    lesson_links = overview.find(id="lesson-list").find_all("a")
    assert [a["href"] for a in lesson_links] == [lesson.url for lesson in lessons_of(course)]
    states = [text_of(li.find(class_="lesson-state")) for li in overview.select("#lesson-list li")]
    assert states == ["Started", "Not started"]
    assert overview.find(id="resume-link")["href"] == first.url


def test_completing_the_last_lesson_shows_the_course_as_completed(learner_client, catalog):
    course = add_course(catalog, title="Datenschutz kompakt", lessons=2, optional=(2,))
    first, second = lessons_of(course)
    learner_client.post(reverse("courses:enrol", args=[course.pk]))

    response = learner_client.post(reverse("courses:complete", args=[first.pk]))
    assert response["Location"] == second.url
    lesson = html(learner_client.get(second.url))
    assert "Optional" in text_of(lesson.find(class_="lesson-position"))
    assert lesson.find("a", rel="prev")["href"] == first.url

    response = learner_client.post(reverse("courses:complete", args=[second.pk]), follow=True)
    assert response.redirect_chain[-1][0] == course.url
    overview = html(response)
    assert "Completed on" in text_of(overview)
    assert "100 % done" in text_of(overview)
    states = [text_of(li.find(class_="lesson-state")) for li in overview.select("#lesson-list li")]
    assert states == ["Done", "Done Optional"]

    done_lesson = html(learner_client.get(second.url))
    assert done_lesson.find(id="complete-form") is None
    assert done_lesson.find(id="back-to-course")["href"] == course.url
    first_again = html(learner_client.get(first.url))
    assert first_again.find(id="next-lesson")["href"] == second.url

    home = html(learner_client.get("/"))
    completed = home.find(id="dashboard-completed")
    assert course.title in text_of(completed)
    assert "Completed on" in text_of(completed)
    assert course.title not in text_of(home.find(id="dashboard-in-progress"))


# Lesson blocks


@pytest.fixture
def lesson_with_every_block(course):
    image = Image.objects.create(title="Schaubild", file=get_test_image_file())
    document = Document.objects.create(
        title="Handreichung", file=ContentFile(b"%PDF-1.4 Testinhalt", name="handreichung.pdf")
    )
    # The embed is cached as if fetched before, so rendering needs no network.
    Embed.objects.create(
        url=VIDEO_URL,
        hash=get_embed_hash(VIDEO_URL),
        type="video",
        html='<iframe title="Datenschutz erklärt" src="https://video.example/embed/1"></iframe>',
    )
    body = [
        {"type": "heading", "value": {"text": "Worum es geht", "level": "h2"}},
        {"type": "text", "value": "<p>Einführender Text.</p>"},
        {
            "type": "image",
            "value": {"image": image.pk, "alt_text": "Ablauf einer E-Akte", "caption": "Abb. 1"},
        },
        {
            "type": "video",
            "value": {
                "video": VIDEO_URL,
                "title": "Datenschutz erklärt",
                "transcript": "<p>Gesprochener Text des Videos.</p>",
            },
        },
        {"type": "document", "value": {"document": document.pk, "title": "Checkliste"}},
        {"type": "notice", "value": {"kind": "warning", "text": "<p>Achtung, Frist!</p>"}},
        {"type": "notice", "value": {"kind": "info", "text": "<p>Gut zu wissen.</p>"}},
        {"type": "takeaway", "value": {"text": "<p>Akten sind vollständig zu führen.</p>"}},
        {
            "type": "accordion",
            "value": {
                "items": [
                    {"title": "Frage eins", "content": "<p>Antwort eins</p>"},
                    {"title": "Frage zwei", "content": "<p>Antwort zwei</p>"},
                ]
            },
        },
    ]
    lesson = course.add_child(
        instance=LessonPage(title="Alle Bausteine", slug="alle-bausteine", body=json.dumps(body))
    )
    publish(lesson)
    return lesson


def test_a_lesson_renders_every_block_type(
    learner, learner_client, course, lesson_with_every_block
):
    enrolment_create(user=learner, course=course)
    page = html(learner_client.get(lesson_with_every_block.url))
    body = page.find(class_="lesson-body")

    assert body.find("h2").get_text(strip=True) == "Worum es geht"
    assert "Einführender Text." in text_of(body)
    figure = body.find("figure", class_="lesson-image")
    assert figure.img["alt"] == "Ablauf einer E-Akte"
    assert figure.figcaption.get_text(strip=True) == "Abb. 1"

    video = body.find("figure", class_="lesson-video")
    assert video.iframe["src"] == "https://video.example/embed/1"
    transcript = body.find("details", class_="transcript")
    assert "Transcript" in text_of(transcript.summary)
    assert "Gesprochener Text des Videos." in text_of(transcript)

    link = body.find(class_="document-link").a
    assert link["href"] == Document.objects.get().url
    assert "Checkliste" in text_of(link)
    assert "(PDF, 19 bytes)" in text_of(link)

    notes = body.find_all(role="note")
    assert [text_of(note.find("p")) for note in notes] == [
        "Warning",
        "Information",
        "Key takeaway",
    ]
    assert [text_of(s) for s in body.select(".accordion summary")] == ["Frage eins", "Frage zwei"]
    assert "Antwort zwei" in text_of(body.find(class_="accordion"))

    # The new lesson is the course's third: it says so and leads back to the second.
    assert "Lesson 3 of 3" in text_of(page)
    assert page.find("a", rel="prev")["href"] == lessons_of(course)[1].url


def test_an_editors_preview_shows_the_body_without_progress_controls(lesson_with_every_block):
    response = lesson_with_every_block.make_preview_request()
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    assert page.find(class_="takeaway") is not None
    assert page.find(id="complete-form") is None
    assert page.find(class_="breadcrumb") is None


# Catalogue


@pytest.fixture
def offer(catalog):
    return {
        "mandatory": tagged(
            add_course(
                catalog,
                title="Informationssicherheit",
                summary="Pflichtschulung zu Passwörtern und Phishing.",
                is_mandatory=True,
                duration_minutes=20,
            ),
            "Sicherheit",
        ),
        "eakte": tagged(
            add_course(
                catalog,
                title="E-Akte in der Praxis",
                summary="Arbeiten mit der elektronischen Akte im Alltag.",
                duration_minutes=60,
            ),
            "Digitalisierung",
        ),
        "english": add_course(
            catalog,
            title="Plain language",
            summary="Writing letters citizens understand.",
            language="en",
            target_group="caseworkers",
            duration_minutes=120,
        ),
    }


def card_titles(page):
    return sorted(text_of(card.h3) for card in page.select(".course-card"))


def test_the_catalogue_lists_live_courses_with_a_form_of_labelled_controls(visitor, catalog, offer):
    page = html(visitor.get(catalog.url))
    assert card_titles(page) == ["E-Akte in der Praxis", "Informationssicherheit", "Plain language"]
    assert text_of(page.find(id="result-count")) == "3 courses"
    form = page.find("form", class_="course-filter")
    assert form["method"] == "get"
    for control in form.find_all(["input", "select"]):
        assert form.find("label", attrs={"for": control["id"]}) is not None
    assert {c["name"] for c in form.find_all(["input", "select"])} == {
        "q",
        "topic",
        "target_group",
        "mandatory",
        "language",
        "duration",
    }
    card = page.find(id=f"course-{offer['mandatory'].pk}")
    assert "Mandatory" in text_of(card.find(class_="badges"))
    assert "Sicherheit" in text_of(card.find(class_="topic-list"))
    assert "20 minutes" in text_of(card)
    # Pages are in English here: German courses say so, for screen readers' pronunciation.
    assert card.h3["lang"] == "de"
    assert "lang" not in page.find(id=f"course-{offer['english'].pk}").h3.attrs


def test_the_catalogue_filters_mandatory_courses(visitor, catalog, offer):
    page = html(visitor.get(catalog.url, {"mandatory": "yes"}))
    assert card_titles(page) == ["Informationssicherheit"]
    assert (
        page.find("select", id="filter-mandatory").find("option", selected=True)["value"] == "yes"
    )


def test_the_catalogue_finds_a_course_by_a_word_of_its_summary(visitor, catalog, offer):
    page = html(visitor.get(catalog.url, {"q": "Phishing"}))
    assert card_titles(page) == ["Informationssicherheit"]
    assert page.find("input", id="filter-q")["value"] == "Phishing"
    assert text_of(page.find(id="result-count")) == "1 course"


def test_the_catalogue_filters_by_topic_language_and_duration(visitor, catalog, offer):
    page = html(visitor.get(catalog.url, {"topic": "Digitalisierung"}))
    assert card_titles(page) == ["E-Akte in der Praxis"]
    topic_select = page.find("select", id="filter-topic")
    assert [o["value"] for o in topic_select.find_all("option")] == [
        "",
        "Digitalisierung",
        "Sicherheit",
    ]
    assert topic_select.find("option", selected=True)["value"] == "Digitalisierung"
    assert card_titles(html(visitor.get(catalog.url, {"language": "en"}))) == ["Plain language"]
    assert card_titles(html(visitor.get(catalog.url, {"duration": "short"}))) == [
        "Informationssicherheit"
    ]
    assert card_titles(html(visitor.get(catalog.url, {"target_group": "caseworkers"}))) == [
        "Plain language"
    ]


def test_an_empty_result_says_so_kindly(visitor, catalog, offer):
    page = html(visitor.get(catalog.url, {"q": "Quantencomputer"}))
    assert page.select(".course-card") == []
    assert "No course matches your search" in text_of(page)
    assert text_of(page.find(id="result-count")) == "0 courses"


def test_the_catalogue_marks_courses_the_learner_is_enrolled_in(
    learner, learner_client, catalog, offer
):
    enrolment_create(user=learner, course=offer["eakte"])
    page = html(learner_client.get(catalog.url))
    assert "Enrolled" in text_of(page.find(id=f"course-{offer['eakte'].pk}"))
    assert "Enrolled" not in text_of(page.find(id=f"course-{offer['mandatory'].pk}"))


# Home page


def test_a_visitor_sees_sign_in_and_the_newest_courses(visitor, catalog):
    for number in range(4):
        add_course(catalog, title=f"Kurs {number}", lessons=1)
    page = html(visitor.get("/"))
    assert page.find("a", href=reverse("account_login")) is not None
    assert page.find(id="dashboard") is None
    teaser = page.find(id="course-teaser")
    assert [text_of(h3) for h3 in teaser.find_all("h3")] == ["Kurs 3", "Kurs 2", "Kurs 1"]
    assert teaser.find(id="catalog-link")["href"] == catalog.url


def test_the_dashboard_shows_an_overdue_assigned_course(learner, learner_client, catalog, course):
    mandatory = add_course(catalog, title="Informationssicherheit", is_mandatory=True)
    enrolment_create(
        user=learner,
        course=mandatory,
        source=Enrolment.Source.ASSIGNED,
        due_on=timezone.localdate() - timedelta(days=3),
    )
    enrolment_create(user=learner, course=course)
    page = html(learner_client.get("/"))

    assert page.find(id="dashboard-heading").get_text(strip=True) == "My learning"
    assigned = page.find(id="dashboard-assigned")
    assert "Informationssicherheit" in text_of(assigned)
    assert "Overdue" in text_of(assigned.find(class_="due-date"))
    assert assigned.find("progress")["value"] == "0"
    in_progress = page.find(id="dashboard-in-progress")
    assert course.title in text_of(in_progress)
    assert "0 % done" in text_of(in_progress)
    assert "You have not completed any courses yet." in text_of(page.find(id="dashboard-completed"))
    assert page.find(id="catalog-link")["href"] == catalog.url


def test_the_dashboard_is_empty_but_helpful_for_a_newcomer(learner_client, catalog):
    page = html(learner_client.get("/"))
    for section in ("dashboard-assigned", "dashboard-in-progress", "dashboard-completed"):
        assert page.find(id=section).find(class_="empty-state") is not None
    assert page.find(id="catalog-link")["href"] == catalog.url


def test_the_dashboard_needs_the_same_queries_for_one_or_many_courses(
    learner, learner_client, catalog
):
    def queries_for_home():
        learner_client.get("/")  # warm the per-process caches (site root paths, settings)
        with CaptureQueriesContext(connection) as captured:
            assert learner_client.get("/").status_code == 200
        return len(captured)

    courses = [add_course(catalog, title=f"Kurs {n}", lessons=1) for n in range(4)]
    enrolment_create(user=learner, course=courses[0])
    one = queries_for_home()
    for course in courses[1:]:
        enrolment_create(
            user=learner,
            course=course,
            source=Enrolment.Source.ASSIGNED,
            due_on=timezone.localdate() + timedelta(days=7),
        )
        learner_client.get(lessons_of(course)[0].url)  # sets last_lesson, linked from the card
    assert queries_for_home() == one
