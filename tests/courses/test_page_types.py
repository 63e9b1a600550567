"""Every course page type with Wagtail's page test helpers: where it may be created, that the
people who author it can create it in the admin with the form data a browser sends, and that it
renders, can be edited and previewed."""

from decimal import Decimal

from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from courses.authoring import catalogue_permissions_ensure
from courses.models import CatalogPage, CoursePage, LessonPage, QuizPage
from courses.quizzes.blocks import QuestionsBlock
from home.models import AccessibilityStatementPage, HomePage
from lms.people.roles import Role
from tests.factories import (
    QUESTION_TYPES,
    CatalogPageFactory,
    CoursePageFactory,
    EnrolmentFactory,
    LessonPageFactory,
    QuizPageFactory,
    UserFactory,
    ministry,
    quiz_questions,
)


def listblock(items):
    """ListBlock form data: a count, then each item with its value, order and deleted flag."""
    return {
        "count": len(items),
        **{i: {"value": item, "deleted": "", "order": i} for i, item in enumerate(items)},
    }


def _field(value):
    if isinstance(value, bool):
        return "on" if value else ""
    if isinstance(value, list):
        return listblock([_field(item) for item in value])
    if isinstance(value, dict):
        return {name: _field(item) for name, item in value.items()}
    return str(value)


def question_form(block_type, value):
    """A question as the admin's question editor posts it (unused optional fields empty)."""
    return (block_type, {"feedback": "", **_field(value)})


def course_form(title="Datenschutz im Verwaltungsalltag", **extra):
    return nested_form_data(
        {
            "title": title,
            "summary": "Was die DSGVO für die tägliche Arbeit bedeutet.",
            "objectives": rich_text("<ul><li>Rechtsgrundlagen kennen</li></ul>"),
            "target_group": "caseworkers",
            "duration_minutes": 30,
            "language": "de",
            "topics": "Datenschutz, DSGVO",
            "prerequisites": "",
            "self_enrolment": "on",
            "completion_rule": "required",
            "validity_months": "",
            "certificate_template": "",
            **extra,
        }
    )


def lesson_form(title="Was ist die E-Akte?", **extra):
    return nested_form_data(
        {
            "title": title,
            "body": streamfield(
                [
                    ("heading", {"text": "Von der Papierakte zur E-Akte", "level": "h2"}),
                    ("text", rich_text("<p>Die E-Akte ersetzt die Papierakte vollständig.</p>")),
                    (
                        "notice",
                        {
                            "kind": "warning",
                            "text": rich_text("<p>Keine privaten Dokumente ablegen.</p>"),
                        },
                    ),
                    ("takeaway", {"text": rich_text("<p>Was zählt, steht in der Akte.</p>")}),
                    (
                        "accordion",
                        {
                            "items": listblock(
                                [
                                    {
                                        "title": "Vorgang",
                                        "content": rich_text("<p>Bündelt Dokumente.</p>"),
                                    },
                                    {
                                        "title": "Dokument",
                                        "content": rich_text("<p>Eine Datei mit Metadaten.</p>"),
                                    },
                                ]
                            )
                        },
                    ),
                ]
            ),
            "required": "on",
            "duration_minutes": 15,
            **extra,
        }
    )


def quiz_form(questions, title="Abschlusstest E-Akte", **extra):
    return nested_form_data(
        {
            "title": title,
            "intro": rich_text("<p>Zehn Minuten, drei Versuche.</p>"),
            "questions": streamfield([question_form(kind, value) for kind, value in questions]),
            "pass_mark": 70,
            "required": "on",
            "max_attempts": 3,
            "wait_minutes": 0,
            "time_limit_minutes": "",
            "counting": "best",
            "review": "passed",
            "draw_count": "",
            "shuffle_options": "on",
            "questions_per_page": 4,
            **extra,
        }
    )


class CatalogueTreeTests(WagtailPageTestCase):
    def test_the_catalogue_sits_under_the_home_page_and_holds_courses(self):
        self.assertAllowedParentPageTypes(CatalogPage, {HomePage})
        self.assertAllowedSubpageTypes(CatalogPage, {CoursePage})
        self.assertCanCreateAt(HomePage, CatalogPage)
        self.assertCanNotCreateAt(CatalogPage, CatalogPage)
        self.assertCanNotCreateAt(CoursePage, CatalogPage)

    def test_courses_sit_in_a_catalogue_and_hold_lessons_and_quizzes(self):
        self.assertAllowedParentPageTypes(CoursePage, {CatalogPage})
        self.assertAllowedSubpageTypes(CoursePage, {LessonPage, QuizPage})
        self.assertCanNotCreateAt(HomePage, CoursePage)
        self.assertCanNotCreateAt(CoursePage, CoursePage)
        self.assertCanNotCreateAt(Page, CoursePage)

    def test_lessons_sit_in_a_course_and_hold_nothing(self):
        self.assertAllowedParentPageTypes(LessonPage, {CoursePage})
        self.assertAllowedSubpageTypes(LessonPage, set())
        self.assertCanNotCreateAt(CatalogPage, LessonPage)
        self.assertCanNotCreateAt(HomePage, LessonPage)
        self.assertCanNotCreateAt(QuizPage, LessonPage)

    def test_quizzes_sit_in_a_course_and_hold_nothing(self):
        self.assertAllowedParentPageTypes(QuizPage, {CoursePage})
        self.assertAllowedSubpageTypes(QuizPage, set())
        self.assertCanNotCreateAt(CatalogPage, QuizPage)
        self.assertCanNotCreateAt(LessonPage, QuizPage)
        self.assertCanNotCreateAt(QuizPage, QuizPage)

    def test_no_course_page_type_can_hold_system_pages(self):
        for parent in (CatalogPage, CoursePage, LessonPage, QuizPage):
            self.assertCanNotCreateAt(parent, HomePage)
            self.assertCanNotCreateAt(parent, AccessibilityStatementPage)


class AuthoringTests(WagtailPageTestCase):
    """Trainers write courses, lessons and quizzes into a catalogue a centre admin set up."""

    @classmethod
    def setUpTestData(cls):
        cls.home = HomePage.objects.get()
        cls.catalog = CatalogPageFactory(slug="kurse")
        catalogue_permissions_ensure(cls.catalog)
        cls.course = CoursePageFactory(parent=cls.catalog, title="E-Akte in der Praxis", lessons=1)
        authority = ministry(name="Ministerium des Innern", abbreviation="HMdI")
        cls.trainer = UserFactory(authority=authority, roles=[Role.TRAINER])
        cls.centre_admin = UserFactory(is_superuser=True)

    def test_a_centre_admin_creates_a_catalogue_under_the_home_page(self):
        self.client.force_login(self.centre_admin)
        self.assertCanCreate(
            self.home,
            CatalogPage,
            nested_form_data(
                {
                    "title": "Weiterbildung",
                    "intro": rich_text("<p>Alle Kurse des Lernzentrums.</p>"),
                    "intro_en": rich_text("<p>All courses of the centre.</p>"),
                }
            ),
        )
        catalog = CatalogPage.objects.get(slug="weiterbildung")
        self.assertTrue(catalog.live)
        self.assertIn("Alle Kurse des Lernzentrums.", catalog.intro)

    def test_a_trainer_creates_a_course_in_the_catalogue(self):
        self.client.force_login(self.trainer)
        self.assertCanCreate(self.catalog, CoursePage, course_form(), publish=False)

        course = CoursePage.objects.get(slug="datenschutz-im-verwaltungsalltag")
        self.assertFalse(course.live)  # a draft until a reviewer approves it
        self.assertEqual(course.owner, self.trainer)
        self.assertEqual(course.target_group, CoursePage.TargetGroup.CASEWORKERS)
        self.assertEqual(sorted(course.topics.names()), ["DSGVO", "Datenschutz"])

    def test_a_trainer_creates_a_lesson_with_every_kind_of_text_block(self):
        self.client.force_login(self.trainer)
        self.assertCanCreate(self.course, LessonPage, lesson_form(), publish=False)

        lesson = LessonPage.objects.child_of(self.course).get(slug="was-ist-die-e-akte")
        self.assertEqual(
            [block.block_type for block in lesson.body],
            ["heading", "text", "notice", "takeaway", "accordion"],
        )
        self.assertEqual(lesson.body[0].value["text"], "Von der Papierakte zur E-Akte")
        self.assertEqual(len(lesson.body[4].value["items"]), 2)
        self.assertEqual(lesson.duration_minutes, 15)

    def test_a_trainer_creates_a_quiz_with_every_question_type(self):
        self.client.force_login(self.trainer)
        self.assertCanCreate(self.course, QuizPage, quiz_form(quiz_questions()), publish=False)

        quiz = QuizPage.objects.child_of(self.course).get()
        self.assertEqual([block.block_type for block in quiz.questions], list(QUESTION_TYPES))
        single_choice = quiz.questions[0].value
        self.assertEqual(
            [option["text"] for option in single_choice["options"] if option["correct"]],
            ["Onlinezugangsgesetz"],
        )
        self.assertEqual(quiz.questions[4].value["answer"], Decimal(30))
        self.assertEqual(
            list(quiz.questions[5].value["items"]), ["Eingang", "Prüfung", "Bescheid", "Ablage"]
        )


class RenderingAndEditingTests(WagtailPageTestCase):
    """Learners see each page; editors open, save and preview it."""

    @classmethod
    def setUpTestData(cls):
        cls.catalog = CatalogPageFactory(slug="kurse")
        catalogue_permissions_ensure(cls.catalog)
        cls.course = CoursePageFactory(parent=cls.catalog, title="E-Akte in der Praxis")
        cls.lesson = LessonPageFactory(parent=cls.course, title="Was ist die E-Akte?")
        cls.quiz = QuizPageFactory(parent=cls.course)
        authority = ministry(name="Ministerium des Innern", abbreviation="HMdI")
        cls.learner = UserFactory(authority=authority)
        EnrolmentFactory(user=cls.learner, course=cls.course)
        cls.trainer = UserFactory(authority=authority, roles=[Role.TRAINER])

    def test_every_course_page_is_routable(self):
        for page in (self.catalog, self.course, self.lesson, self.quiz):
            with self.subTest(page=type(page).__name__):
                self.assertPageIsRoutable(page)

    def test_catalogue_and_course_render_for_visitors_and_learners(self):
        for page in (self.catalog, self.course):
            with self.subTest(page=type(page).__name__):
                self.assertPageIsRenderable(page)
                self.assertPageIsRenderable(page, user=self.learner)
        self.assertContains(self.client.get(self.catalog.url), "E-Akte in der Praxis")

    def test_lessons_and_quizzes_render_for_enrolled_learners(self):
        self.assertPageIsRenderable(self.lesson, user=self.learner)
        self.assertPageIsRenderable(self.quiz, user=self.learner)
        self.client.force_login(self.learner)
        self.assertContains(self.client.get(self.lesson.url), "Inhalt von Was ist die E-Akte?")

    def test_lessons_and_quizzes_send_visitors_to_sign_in(self):
        for page in (self.lesson, self.quiz):
            with self.subTest(page=type(page).__name__):
                self.assertPageIsRenderable(page, accept_redirect=True)
                response = self.client.get(page.url)
                self.assertRedirects(
                    response,
                    f"{reverse('account_login')}?next={page.url}",
                    fetch_redirect_response=False,
                )

    def test_catalogue_and_course_are_editable_and_previewable(self):
        for page in (self.catalog, self.course):
            with self.subTest(page=type(page).__name__):
                self.assertPageIsEditable(page)
                self.assertPageIsPreviewable(page)
        self.assertPageIsEditable(self.course, user=self.trainer)
        self.assertPageIsPreviewable(self.course, user=self.trainer)

    def test_a_lesson_is_editable_and_previewable_with_its_blocks(self):
        data = lesson_form(title=self.lesson.title, slug=self.lesson.slug)
        self.assertPageIsEditable(self.lesson, post_data=data)
        self.assertPageIsPreviewable(self.lesson, post_data=data)
        self.assertPageIsPreviewable(self.lesson, post_data=data, user=self.trainer)

    def test_a_quiz_is_editable_and_previewable_with_and_without_the_answers(self):
        data = quiz_form(quiz_questions(), title=self.quiz.title, slug=self.quiz.slug)
        self.assertPageIsEditable(self.quiz, post_data=data)
        for mode in ("", "answers"):
            with self.subTest(mode=mode):
                self.assertPageIsPreviewable(self.quiz, mode=mode, post_data=data)
                self.assertPageIsPreviewable(
                    self.quiz, mode=mode, post_data=data, user=self.trainer
                )

    def test_a_trainer_saves_a_quiz_edited_from_factory_questions_as_a_draft(self):
        changed = quiz_questions("true_false", "number")
        self.client.force_login(self.trainer)
        response = self.client.post(
            reverse("wagtailadmin_pages:edit", args=(self.quiz.pk,)),
            quiz_form(changed, title=self.quiz.title, slug=self.quiz.slug),
        )
        self.assertEqual(response.status_code, 302, response.content.decode()[-4000:])
        draft = QuizPage.objects.get(pk=self.quiz.pk).get_latest_revision_as_object()
        self.assertEqual([block.block_type for block in draft.questions], ["true_false", "number"])

    def test_the_factory_questions_pass_the_question_editors_checks(self):
        block = QuestionsBlock()
        cleaned = block.clean(block.to_python(self.quiz.questions.get_prep_value()))
        self.assertEqual([child.block_type for child in cleaned], list(QUESTION_TYPES))
