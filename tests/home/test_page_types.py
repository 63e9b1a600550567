"""The system pages with Wagtail's page test helpers: the one home page at the root and the one
accessibility statement below it; where they may be created, and that they render, can be
edited and previewed."""

import datetime

from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text

from courses.models import CatalogPage, CoursePage, LessonPage, QuizPage
from home.models import AccessibilityStatementPage, HomePage
from tests.factories import CatalogPageFactory, CoursePageFactory, UserFactory, ministry


def statement_form(**extra):
    return nested_form_data(
        {
            "title": "Erklärung zur Barrierefreiheit",
            "slug": "barrierefreiheit",
            "conformity": "partial",
            "prepared_on": "2026-11-30",
            "assessment": "Selbstbewertung mit automatisierten und manuellen Prüfungen",
            "barriers": rich_text(
                "<ul><li>Ältere PDF-Dokumente sind nicht barrierefrei.</li></ul>"
            ),
            "feedback_contact": "Lernzentrum, Referat Z 2",
            "feedback_email": "barrierefreiheit@verwaltung.example",
            "feedback_phone": "0611 123456",
            "enforcement": rich_text("<p>Die Durchsetzungsstelle nach § 16 BITV.</p>"),
            **extra,
        }
    )


def add_url(parent, model):
    return reverse(
        "wagtailadmin_pages:add", args=(model._meta.app_label, model._meta.model_name, parent.pk)
    )


class HomePageTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.root = Page.get_first_root_node()
        cls.home = HomePage.objects.get()
        cls.centre_admin = UserFactory(is_superuser=True)
        catalog = CatalogPageFactory(slug="kurse")
        CoursePageFactory(parent=catalog, title="Informationssicherheit am Arbeitsplatz", lessons=1)
        cls.learner = UserFactory(authority=ministry(name="Ministerium des Innern"))

    def test_the_home_page_sits_at_the_root_and_holds_the_catalogue_and_the_statement(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertAllowedSubpageTypes(HomePage, {CatalogPage, AccessibilityStatementPage})
        for model in (CoursePage, LessonPage, QuizPage):
            self.assertCanNotCreateAt(HomePage, model)

    def test_there_is_only_one_home_page(self):
        self.assertFalse(HomePage.can_create_at(self.root))
        self.client.force_login(self.centre_admin)
        response = self.client.post(
            add_url(self.root, HomePage),
            nested_form_data({"title": "Zweite Startseite", "slug": "zweite-startseite"}),
        )
        self.assertIn(response.status_code, (302, 403))
        self.assertEqual(HomePage.objects.count(), 1)

    def test_the_home_page_is_routable_and_renders_for_visitors_and_learners(self):
        self.assertPageIsRoutable(self.home)
        self.assertPageIsRenderable(self.home)
        self.assertPageIsRenderable(self.home, user=self.learner)
        # Visitors see the newest courses as a teaser.
        self.assertContains(
            self.client.get(self.home.url), "Informationssicherheit am Arbeitsplatz"
        )

    def test_the_home_page_is_editable_and_previewable(self):
        self.assertPageIsEditable(self.home)
        self.assertPageIsPreviewable(self.home)

    def test_a_centre_admin_changes_the_introduction_and_visitors_read_it(self):
        self.client.force_login(self.centre_admin)
        response = self.client.post(
            reverse("wagtailadmin_pages:edit", args=(self.home.pk,)),
            nested_form_data(
                {
                    "title": self.home.title,
                    "slug": self.home.slug,
                    "intro": rich_text("<p>Willkommen im Lernzentrum der Landesverwaltung.</p>"),
                    "intro_en": rich_text(""),
                    "action-publish": "action-publish",
                }
            ),
        )
        self.assertEqual(response.status_code, 302)
        self.client.logout()
        self.assertContains(
            self.client.get(self.home.url), "Willkommen im Lernzentrum der Landesverwaltung."
        )


class AccessibilityStatementTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = HomePage.objects.get()
        cls.centre_admin = UserFactory(is_superuser=True)

    def statement(self):
        return self.home.add_child(
            instance=AccessibilityStatementPage(
                title="Erklärung zur Barrierefreiheit",
                prepared_on=datetime.date(2026, 11, 30),
                feedback_contact="Lernzentrum",
                feedback_email="barrierefreiheit@verwaltung.example",
                enforcement="<p>Die Durchsetzungsstelle.</p>",
            )
        )

    def test_the_statement_sits_under_the_home_page_and_holds_nothing(self):
        self.assertAllowedParentPageTypes(AccessibilityStatementPage, {HomePage})
        self.assertAllowedSubpageTypes(AccessibilityStatementPage, set())
        self.assertCanNotCreateAt(CatalogPage, AccessibilityStatementPage)

    def test_a_centre_admin_publishes_the_statement_and_visitors_read_it(self):
        self.client.force_login(self.centre_admin)
        self.assertCanCreate(self.home, AccessibilityStatementPage, statement_form())

        statement = AccessibilityStatementPage.objects.get()
        self.assertTrue(statement.live)
        self.assertPageIsRoutable(statement)
        self.assertPageIsRenderable(statement)
        self.assertContains(self.client.get(statement.url), "barrierefreiheit@verwaltung.example")

    def test_a_second_statement_cannot_be_created(self):
        self.statement()
        self.assertFalse(AccessibilityStatementPage.can_create_at(self.home))
        self.client.force_login(self.centre_admin)
        response = self.client.post(
            add_url(self.home, AccessibilityStatementPage), statement_form(slug="noch-eine")
        )
        self.assertIn(response.status_code, (302, 403))
        self.assertEqual(AccessibilityStatementPage.objects.count(), 1)

    def test_the_statement_is_editable_and_previewable(self):
        statement = self.statement()
        self.assertPageIsEditable(statement)
        self.assertPageIsPreviewable(statement)
