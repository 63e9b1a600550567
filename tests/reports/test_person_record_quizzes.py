"""The learning record names the course of every quiz attempt: many courses end with a quiz
called "Abschlusstest"."""

from django.urls import reverse
from django.utils import timezone

from courses.models import QuizAttempt, QuizPage
from tests.courses.conftest import add_course


def attempt(user, quiz, percent):
    return QuizAttempt.objects.create(
        user=user,
        quiz=quiz,
        number=1,
        status=QuizAttempt.Status.SUBMITTED,
        pass_mark=60,
        percent=percent,
        passed=percent >= 60,
        submitted_at=timezone.now(),
    )


def attempt_rows(html):
    section = html[html.index('id="record-attempts-heading"') :]
    section = section[: section.index("</table>")]
    return [row for row in section.split("<tr>")[2:]]


def test_each_quiz_attempt_names_its_course(client, hr_innen, records, catalog):
    security = records["course"]
    privacy = add_course(catalog, title="Datenschutz im Amt")
    anna = records["people"]["anna"]
    attempt(anna, security.add_child(instance=QuizPage(title="Abschlusstest", pass_mark=60)), 80)
    attempt(anna, privacy.add_child(instance=QuizPage(title="Abschlusstest", pass_mark=60)), 40)
    client.force_login(hr_innen)
    html = client.get(reverse("reports_person", args=[anna.pk])).content.decode()
    rows = attempt_rows(html)
    assert len(rows) == 2
    assert "Datenschutz im Amt" in rows[0] and "Abschlusstest" in rows[0]
    assert "Informationssicherheit" in rows[1] and "Abschlusstest" in rows[1]
    assert ">Kurs<" in html[html.index('id="record-attempts-heading"') :]


def test_print_view_names_the_course_too(client, hr_innen, records):
    anna = records["people"]["anna"]
    quiz = records["course"].add_child(instance=QuizPage(title="Abschlusstest", pass_mark=60))
    attempt(anna, quiz, 80)
    client.force_login(hr_innen)
    html = client.get(reverse("reports_person", args=[anna.pk]), {"print": "1"}).content.decode()
    assert "Informationssicherheit" in attempt_rows(html)[0]
