"""Item analysis of a quiz for trainers: the figures, who may see them, and the downloads.

The attempts are made by hand (snapshot, results, total) so every expected figure can be worked
out on paper; see `graded_quiz` for the numbers.
"""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import openpyxl
import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.users.models import UserProfile

from courses.authoring import catalogue_permissions_ensure
from courses.models import QuizAttempt, QuizPage
from courses.quizzes.analysis import group_size, item_analysis
from courses.quizzes.questions import type_label
from tests.courses.conftest import add_course, publish
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ATTEMPTS = 20
OLD_PROMPT = "Ist die E-Akte verbindlich?"
NEW_PROMPT = "Ist die E-Akte in allen Behörden verbindlich?"
REMOVED_ID = "entfernte-frage"


def add_quiz(course, *, title="Abschlusstest"):
    quiz = course.add_child(
        instance=QuizPage(
            title=title,
            questions=[
                ("true_false", {"prompt": NEW_PROMPT, "points": Decimal(1), "correct": True}),
                (
                    "multiple_choice",
                    {
                        "prompt": "Welche Formate sind zulässig?",
                        "points": Decimal(2),
                        "partial_credit": True,
                        "options": [
                            {"text": "PDF/A", "correct": True},
                            {"text": "TIFF", "correct": True},
                            {"text": "DOCX", "correct": False},
                        ],
                    },
                ),
                (
                    "number",
                    {
                        "prompt": "Wie viele Jahre beträgt die Aufbewahrungsfrist?",
                        "points": Decimal(2),
                        "answer": Decimal(10),
                    },
                ),
            ],
        )
    )
    publish(quiz)
    return QuizPage.objects.get(pk=quiz.pk)


def question(question_id, kind, prompt, points):
    return {"id": question_id, "type": kind, "prompt": prompt, "points": points}


def result(score, correct):
    return {"score": score, "correct": correct}


@pytest.fixture
def open_catalog(catalog):
    catalogue_permissions_ensure(catalog)
    return catalog


@pytest.fixture
def quiz(open_catalog):
    return add_quiz(add_course(open_catalog, lessons=1))


@pytest.fixture
def graded_quiz(quiz):
    """20 closed attempts by 10 people, ranked i = 0..19 by their total 5·i + 2 %.

    - Q1 (true/false, all 20): right exactly in the top half (i ≥ 10). 10 of 20 right, mean
      points 50 %; k = 5, the top five all right, the bottom five all wrong: D = 1.
    - Q2 (multiple choice, 2 points, even i only: n = 10): right (2.00) for i = 0, 2, 4, else
      half points (1.00). 30 % right, mean points (3 + 7 · 0.5) / 10 = 65 %; k = 3, the bottom
      three all right, the top three all wrong: D = −1.
    - Q3 (number, 2 points, odd i < 18: n = 9): always 1.00 of 2, never right. 0 % right, mean
      points 50 %, D not shown (fewer than 10).
    - A question since removed from the quiz, in attempt i = 5 only, answered right.
    Passed: total ≥ 70, i.e. i ≥ 14: 6 of 20 = 30 %. Mean total: 5 · 9.5 + 2 = 49.5 %.
    Q1's prompt was reworded; the newest attempt (i = 0, started last) has the new prompt.
    Also present and to be ignored: one open attempt, and an attempt at another quiz.
    """
    q1, q2, q3 = (child.id for child in quiz.questions)
    people = [UserFactory() for _ in range(ATTEMPTS // 2)]
    start = timezone.now() - timedelta(days=1)
    for i in range(ATTEMPTS):
        snapshot = [question(q1, "true_false", NEW_PROMPT if i == 0 else OLD_PROMPT, "1.00")]
        results = {q1: result("1.00", True) if i >= 10 else result("0.00", False)}
        if i % 2 == 0:
            snapshot.append(question(q2, "multiple_choice", "Welche Formate?", "2.00"))
            results[q2] = result("2.00", True) if i in (0, 2, 4) else result("1.00", False)
        if i % 2 == 1 and i < 18:
            snapshot.append(question(q3, "number", "Wie viele Jahre?", "2.00"))
            results[q3] = result("1.00", False)
        if i == 5:
            snapshot.append(question(REMOVED_ID, "short_text", "Alte Frage", "1.00"))
            results[REMOVED_ID] = result("1.00", True)
        percent = Decimal(5 * i + 2)
        QuizAttempt.objects.create(
            user=people[i // 2],
            quiz=quiz,
            number=i % 2 + 1,
            status=(QuizAttempt.Status.TIMED_OUT if i == 19 else QuizAttempt.Status.SUBMITTED),
            started_at=start - timedelta(minutes=i),
            submitted_at=start - timedelta(minutes=i) + timedelta(minutes=5),
            questions=snapshot,
            pass_mark=70,
            results=results,
            score=percent / 100,
            max_score=Decimal(1),
            percent=percent,
            passed=percent >= 70,
        )
    QuizAttempt.objects.create(
        user=UserFactory(),
        quiz=quiz,
        number=1,
        status=QuizAttempt.Status.OPEN,
        questions=[question(q1, "true_false", "Offen", "1.00")],
        pass_mark=70,
    )
    other = add_quiz(quiz.get_parent().specific, title="Zwischentest")
    QuizAttempt.objects.create(
        user=people[0],
        quiz=other,
        number=1,
        status=QuizAttempt.Status.SUBMITTED,
        questions=[question(q1, "true_false", "Anderes Quiz", "1.00")],
        pass_mark=70,
        results={q1: result("0.00", False)},
        score=Decimal(0),
        max_score=Decimal(1),
        percent=Decimal(0),
        passed=False,
    )
    return quiz


@pytest.fixture
def trainer(org):
    return UserFactory(authority=org["rpda"], roles=["trainer"])


def analysis_url(quiz):
    return reverse("courses_quiz_analysis", args=[quiz.pk])


def in_english(user):
    """The admin in English for this user, so assertions on texts survive the translation."""
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    return user


def table_rows(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return [
        [cell.get_text(" ", strip=True) for cell in row.find_all("td")]
        for row in soup.select("table tbody tr")
    ]


# The figures


def test_quiz_figures_count_closed_attempts_only(graded_quiz):
    analysis = item_analysis(quiz=graded_quiz)

    assert analysis.attempts == 20
    assert analysis.people == 10
    assert analysis.mean_percent == pytest.approx(49.5)
    assert analysis.pass_rate == pytest.approx(30.0)


def test_question_that_top_scorers_get_right_discriminates_fully(graded_quiz):
    q1 = item_analysis(quiz=graded_quiz).questions[0]

    assert q1.presented == 20
    assert q1.correct_percent == pytest.approx(50.0)
    assert q1.mean_points_percent == pytest.approx(50.0)
    assert q1.discrimination == pytest.approx(1.0)


def test_question_that_only_weak_attempts_get_right_has_negative_discrimination(graded_quiz):
    q2 = item_analysis(quiz=graded_quiz).questions[1]

    assert q2.presented == 10
    assert q2.correct_percent == pytest.approx(30.0)
    assert q2.mean_points_percent == pytest.approx(65.0)
    assert q2.discrimination == pytest.approx(-1.0)


def test_question_seen_by_fewer_than_ten_attempts_has_no_discrimination(graded_quiz):
    q3 = item_analysis(quiz=graded_quiz).questions[2]

    assert q3.presented == 9
    assert q3.correct_percent == 0
    assert q3.mean_points_percent == pytest.approx(50.0)
    assert q3.discrimination is None


def test_questions_follow_the_quiz_order_and_removed_ones_come_last(graded_quiz):
    figures = item_analysis(quiz=graded_quiz).questions
    block_ids = [child.id for child in graded_quiz.questions]

    assert [f.id for f in figures] == [*block_ids, REMOVED_ID]
    assert [f.in_quiz for f in figures] == [True, True, True, False]
    assert figures[3].presented == 1
    assert figures[3].discrimination is None


def test_question_title_is_the_prompt_of_the_newest_attempt(graded_quiz):
    q1 = item_analysis(quiz=graded_quiz).questions[0]

    assert q1.title == NEW_PROMPT
    with translation.override("en"):
        assert str(q1.type_label) == str(type_label("true_false")) == "True or false"


def test_quiz_without_closed_attempts_has_no_figures(quiz):
    analysis = item_analysis(quiz=quiz)

    assert (analysis.attempts, analysis.people, analysis.questions) == (0, 0, [])
    assert analysis.mean_percent is None
    assert analysis.pass_rate is None


@pytest.mark.parametrize(("presented", "k"), [(10, 3), (20, 5), (50, 14), (100, 27)])
def test_groups_are_27_percent_rounded(presented, k):
    assert group_size(presented) == k


# The screens


def test_trainer_sees_the_questions_with_their_figures(client, trainer, graded_quiz):
    client.force_login(trainer)

    response = client.get(analysis_url(graded_quiz))

    assert response.status_code == 200
    rows = table_rows(response)
    assert len(rows) == 4
    # German admin: decimal comma.
    assert rows[0][0] == NEW_PROMPT
    assert rows[0][2:6] == ["20", "50,0 %", "50,0 %", "1,00"]
    assert rows[1][2:6] == ["10", "30,0 %", "65,0 %", "-1,00"]
    assert rows[2][2] == "9"
    assert rows[2][5].startswith("–")
    assert "Alte Frage" in rows[3][0]
    summary = BeautifulSoup(response.content, "html.parser").select_one(".quiz-analysis-summary")
    assert [dd.get_text(strip=True) for dd in summary.find_all("dd")] == [
        "20",
        "10",
        "49,5 %",
        "30,0 %",
    ]


def choice_attempt(quiz, question_id, chosen_texts, *, keys):
    """A closed attempt at a multiple choice question whose options got these keys."""
    options = [
        {"key": key, "text": text, "correct": text != "DOCX", "feedback": ""}
        for key, text in zip(keys, ("PDF/A", "TIFF", "DOCX"), strict=True)
    ]
    snapshot = {**question(question_id, "multiple_choice", "Formate?", "2.00"), "options": options}
    chosen = [option["key"] for option in options if option["text"] in chosen_texts]
    return QuizAttempt.objects.create(
        user=UserFactory(),
        quiz=quiz,
        number=1,
        status=QuizAttempt.Status.SUBMITTED,
        submitted_at=timezone.now(),
        questions=[snapshot],
        answers={question_id: chosen} if chosen else {},
        pass_mark=70,
        results={question_id: result("0.00", False)},
        score=Decimal(0),
        max_score=Decimal(2),
        percent=Decimal(0),
        passed=False,
    )


def test_trainer_sees_how_often_each_answer_was_chosen(client, trainer, quiz):
    question_id = quiz.questions[1].id
    # Option keys differ from attempt to attempt: the answers are counted by their text.
    for number, chosen in enumerate([("PDF/A", "TIFF"), ("PDF/A",), ("PDF/A", "DOCX"), ()]):
        choice_attempt(quiz, question_id, chosen, keys=[f"{number}a", f"{number}b", f"{number}c"])
    client.force_login(trainer)

    rows = table_rows(client.get(analysis_url(quiz)))
    download = client.get(analysis_url(quiz) + "?export=csv")

    assert rows[0][6] == "PDF/A (75,0 %); DOCX (25,0 %); TIFF (25,0 %)"
    data = b"".join(download.streaming_content).decode("utf-8-sig")
    exported = list(csv.reader(io.StringIO(data), delimiter=";"))
    assert exported[0][8] == "Häufigste Antworten"
    assert exported[1][8] == "PDF/A (75,0 %); DOCX (25,0 %); TIFF (25,0 %)"


def test_trainer_sees_an_explanation_of_the_discrimination_index(client, trainer, graded_quiz):
    client.force_login(in_english(trainer))

    response = client.get(analysis_url(graded_quiz))

    assert response.status_code == 200
    assert '<html lang="en"' in response.text
    assert "discrimination index compares the best 27" in response.text


def test_trainer_lists_the_quizzes_with_attempts_mean_and_pass_rate(client, trainer, graded_quiz):
    client.force_login(trainer)

    response = client.get(reverse("courses_quiz_analysis_index"))

    assert response.status_code == 200
    rows = {row[0]: row for row in table_rows(response)}
    assert rows["Abschlusstest"][1:] == ["E-Akte in der Praxis", "20", "49,5 %", "30,0 %"]
    assert rows["Zwischentest"][2:] == ["1", "0,0 %", "0,0 %"]
    assert analysis_url(graded_quiz) in response.text


def test_trainer_does_not_see_quizzes_of_a_catalogue_without_rights(client, trainer, quiz):
    from courses.models import CatalogPage
    from home.models import HomePage

    closed = publish(
        HomePage.objects.first().add_child(instance=CatalogPage(title="Intern", slug="intern"))
    )
    foreign = add_quiz(add_course(closed, title="Interne Schulung", lessons=1), title="Geheim")
    client.force_login(trainer)

    listing = client.get(reverse("courses_quiz_analysis_index"))
    detail = client.get(analysis_url(foreign))

    assert "Geheim" not in [row[0] for row in table_rows(listing)]
    assert detail.status_code in (302, 403)
    if detail.status_code == 302:
        assert detail["Location"] == reverse("wagtailadmin_home")


def test_centre_admin_sees_every_quiz(client, centre_admin, graded_quiz):
    client.force_login(centre_admin)

    assert client.get(analysis_url(graded_quiz)).status_code == 200
    listing = client.get(reverse("courses_quiz_analysis_index"))
    assert {row[0] for row in table_rows(listing)} == {"Abschlusstest", "Zwischentest"}


def test_learner_is_sent_to_sign_in(client, graded_quiz):
    client.force_login(UserFactory())

    for url in (reverse("courses_quiz_analysis_index"), analysis_url(graded_quiz)):
        response = client.get(url)
        assert response.status_code in (302, 403)
        assert response.status_code == 403 or not response["Location"].startswith("/admin")


def test_hr_coordinator_is_turned_away(client, hr_innen, graded_quiz):
    client.force_login(hr_innen)

    for url in (
        reverse("courses_quiz_analysis_index"),
        analysis_url(graded_quiz),
        analysis_url(graded_quiz) + "?export=csv",
    ):
        response = client.get(url)
        assert response.status_code in (302, 403)
        if response.status_code == 302:
            assert response["Location"] == reverse("wagtailadmin_home")


def test_unknown_quiz_is_not_found(client, trainer, centre_admin, quiz):
    course = quiz.get_parent()
    for user in (trainer, centre_admin):
        client.force_login(user)
        assert client.get(reverse("courses_quiz_analysis", args=[999999])).status_code == 404
        # A page that is not a quiz is not found either.
        assert client.get(reverse("courses_quiz_analysis", args=[course.pk])).status_code == 404


def test_quiz_without_attempts_says_so(client, trainer, quiz):
    client.force_login(in_english(trainer))

    response = client.get(analysis_url(quiz))

    assert response.status_code == 200
    assert table_rows(response) == []
    assert "No one has finished this quiz yet." in response.text


# The downloads


def test_trainer_downloads_the_question_table_as_csv(client, trainer, graded_quiz):
    client.force_login(trainer)

    response = client.get(analysis_url(graded_quiz) + "?export=csv")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    data = b"".join(response.streaming_content)
    # As German Excel opens it: UTF-8 with BOM, semicolons, decimal commas.
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 5
    assert rows[1][0] == NEW_PROMPT
    assert rows[1][3:7] == ["20", "50,0", "50,0", "1,00"]
    assert rows[2][3:7] == ["10", "30,0", "65,0", "-1,00"]
    assert rows[3][6] == ""
    assert rows[4][7] == REMOVED_ID


def test_trainer_downloads_the_question_table_as_xlsx(client, trainer, graded_quiz):
    client.force_login(trainer)

    response = client.get(analysis_url(graded_quiz) + "?export=xlsx")

    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert len(rows) == 5
    assert rows[1][0] == NEW_PROMPT
    assert rows[1][3] == 20
    assert rows[1][4:7] == (50, 50, 1)
    assert rows[2][4:7] == (30, 65, -1)
    assert rows[3][6] is None


# The way in


def test_quiz_editor_links_to_the_analysis(client, trainer, quiz):
    client.force_login(trainer)

    response = client.get(reverse("wagtailadmin_pages:edit", args=[quiz.pk]))

    assert response.status_code == 200
    assert analysis_url(quiz) in response.text


def test_course_page_listing_links_to_the_analysis_of_its_quiz(client, trainer, quiz):
    client.force_login(trainer)

    response = client.get(reverse("wagtailadmin_explore", args=[quiz.get_parent().pk]))

    assert response.status_code == 200
    assert analysis_url(quiz) in response.text


def test_lesson_pages_have_no_analysis_link(client, trainer, quiz):
    lesson = quiz.get_parent().get_children().exclude(pk=quiz.pk).first()
    client.force_login(trainer)

    response = client.get(reverse("wagtailadmin_pages:edit", args=[lesson.pk]))

    assert response.status_code == 200
    assert analysis_url(lesson) not in response.text


def test_reports_menu_offers_the_analysis_to_trainers_but_not_hr(
    client, open_catalog, trainer, hr_innen
):
    index_url = reverse("courses_quiz_analysis_index")
    client.force_login(trainer)
    assert index_url in client.get(reverse("wagtailadmin_home")).text

    client.force_login(hr_innen)
    assert index_url not in client.get(reverse("wagtailadmin_home")).text


def test_shares_are_rounded_not_cut_off():
    from courses.quizzes.admin_views import format_percent

    with translation.override("de"):
        # 2 of 3 correct is 66,7 %, not 66,6 %.
        assert format_percent(Decimal(200) / 3) == "66,7 %"
