"""The personal-data registry: every model that holds personal data is declared, completely."""

from dataclasses import replace
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.test.utils import isolate_apps
from django.utils import timezone

from courses.models import LessonProgress, QuizAttempt
from lms.people.models import User
from lms.personal_data.registry import Category, Registry, Retention, registry
from lms.privacy.coverage import NOT_DECLARED, NOT_NAMED, looks_personal, unaccounted
from tests.factories import UserFactory


def _without(model) -> Registry:
    """A copy of the project's registry that has forgotten one model."""
    return Registry(
        declarations=[d for d in registry.declarations if d.model is not model],
        exemptions=dict(registry.exemptions),
    )


# The guard


def test_every_model_holding_personal_data_is_registered_or_exempted():
    findings = unaccounted(apps.get_models(), registry=registry)
    assert not findings, "\n".join(str(finding) for finding in findings)


def test_a_model_with_a_user_foreign_key_is_reported_until_declared():
    with isolate_apps("lms.privacy"):

        class Tracker(models.Model):  # noqa: DJ008
            user = models.ForeignKey(User, on_delete=models.CASCADE)
            seen_at = models.DateTimeField()

            class Meta:
                app_label = "privacy"
                managed = False

    [finding] = unaccounted([Tracker], registry=Registry())
    assert (finding.model, finding.fields, finding.problem) == (Tracker, ("user",), NOT_DECLARED)
    assert "privacy.Tracker (user)" in str(finding)
    exempted = Registry(exemptions={Tracker: "Test model."})
    assert unaccounted([Tracker], registry=exempted) == []


def test_a_model_with_personal_field_names_is_reported():
    with isolate_apps("lms.privacy"):

        class Contact(models.Model):  # noqa: DJ008
            title = models.CharField(max_length=50)
            phone = models.CharField(max_length=50)
            contact_email = models.EmailField()

            class Meta:
                app_label = "privacy"
                managed = False

    [finding] = unaccounted([Contact], registry=Registry())
    assert finding.fields == ("phone", "contact_email")


def test_quiz_attempts_are_reported_when_missing_from_the_registry():
    findings = unaccounted(apps.get_models(), registry=_without(QuizAttempt))
    assert [(f.model, f.fields) for f in findings] == [(QuizAttempt, ("user",))]


def test_lesson_progress_is_reported_as_it_is_deleted_with_the_enrolment():
    # No field of its own points to a person: it is found through the enrolment it cascades from.
    findings = unaccounted(apps.get_models(), registry=_without(LessonProgress))
    assert [(f.model, f.fields) for f in findings] == [(LessonProgress, ("enrolment",))]


def test_a_personal_field_missing_from_a_declaration_is_reported():
    user_declaration = registry.declaration_for(User)
    shortened = Registry(
        declarations=[
            replace(d, holds=tuple(n for n in d.holds if n != "personnel_number"))
            if d is user_declaration
            else d
            for d in registry.declarations
        ],
        exemptions=dict(registry.exemptions),
    )
    findings = unaccounted(apps.get_models(), registry=shortened)
    assert [(f.model, f.fields, f.problem) for f in findings] == [
        (User, ("personnel_number",), NOT_NAMED)
    ]


@pytest.mark.parametrize(
    "name",
    [
        "email",
        "contact_email",
        "first_name",
        "last_name",
        "phone",
        "client_ip",
        "ip_address",
        "user_agent",
        "personnel_number",
        "author_name",
        "date_of_birth",
    ],
)
def test_names_of_personal_data_are_recognised(name):
    assert looks_personal(name)


@pytest.mark.parametrize(
    "name", ["title", "name", "description", "emailed", "tip", "slug", "seo_title", "abbreviation"]
)
def test_names_of_other_data_are_not_taken_for_personal(name):
    assert not looks_personal(name)


# The declarations


def test_every_declaration_is_complete():
    problems = {d.label: d.problems() for d in registry.declarations if d.problems()}
    assert not problems


def test_an_incomplete_declaration_says_what_is_missing():
    broken = replace(
        registry.declaration_for(QuizAttempt),
        person=("quiz",),
        holds=("answers", "shoe_size"),
        purpose="",
        legal_basis=" ",
        retention=Retention.days_after("forever", "number"),
    )
    assert broken.problems() == [
        "holds 'shoe_size', which is not a field of courses.QuizAttempt",
        "person 'quiz' does not lead to people.User",
        "has no purpose",
        "has no legal basis",
        "PRIVACY_RETENTION_DAYS has no entry 'forever' (lms.privacy).",
        "retention starts at 'number', which is not a date and time field",
    ]


def test_a_retention_without_a_period_must_say_how_long():
    declaration = replace(registry.declaration_for(QuizAttempt), retention=Retention())
    assert declaration.problems() == ["has no retention"]


def test_the_registry_covers_the_models_named_in_the_issue():
    declared = {d.label for d in registry.declarations}
    assert {
        "people.User",
        "people.AuthorityMembership",
        "people.HRScope",
        "courses.Enrolment",
        "courses.LessonProgress",
        "courses.ProgressEvent",
        "courses.QuizAttempt",
        "courses.Assignment",
        "courses.AssignmentRule",
        "account.EmailAddress",
        "mfa.Authenticator",
        "socialaccount.SocialAccount",
        "socialaccount.SocialToken",
        "sessions.Session",
        "wagtailcore.Revision",
        "wagtailcore.PageLogEntry",
        "wagtailcore.ModelLogEntry",
        "wagtailcore.WorkflowState",
        "wagtailcore.TaskState",
        "wagtailcore.Comment",
        "wagtailcore.PageSubscription",
        "wagtailusers.UserProfile",
        "wagtailimages.Image",
        "wagtaildocs.Document",
        "wagtailadmin.EditingSession",
    } <= declared


def test_quiz_answers_are_declared_as_held():
    assert "answers" in registry.declaration_for(QuizAttempt).holds


def test_every_exemption_states_a_reason():
    assert registry.exemptions
    assert all(str(reason).strip() for reason in registry.exemptions.values())


def test_an_exemption_without_a_reason_is_refused():
    with pytest.raises(ImproperlyConfigured):
        Registry().exempt("wagtailembeds.Embed", reason="")


def test_a_model_cannot_be_declared_twice():
    with pytest.raises(ImproperlyConfigured):
        registry.exempt("courses.QuizAttempt", reason="Already registered.")


def test_declarations_are_grouped_in_the_order_of_the_categories():
    categories = [category for category, _ in registry.by_category()]
    assert categories == [c for c in Category if c in categories]
    assert Category.LEARNING in categories


# Retention


def test_every_retention_setting_resolves_to_days():
    for declaration in registry.declarations:
        days = declaration.retention.days()
        assert days is None or (isinstance(days, int) and days >= 0), declaration.label


def test_every_retention_setting_is_used_by_a_declaration():
    used = {d.retention.setting for d in registry.declarations} - {None}
    assert used == set(settings.PRIVACY_RETENTION_DAYS)


def test_a_retention_setting_missing_from_the_settings_fails_loudly(settings):
    settings.PRIVACY_RETENTION_DAYS = {}
    with pytest.raises(ImproperlyConfigured, match="quiz_attempts"):
        registry.declaration_for(QuizAttempt).retention.days()


def test_a_retention_setting_that_is_no_number_of_days_fails_loudly(settings):
    settings.PRIVACY_RETENTION_DAYS = {**settings.PRIVACY_RETENTION_DAYS, "quiz_attempts": "2y"}
    with pytest.raises(ImproperlyConfigured, match="whole number of days"):
        registry.declaration_for(QuizAttempt).retention.days()


def test_the_retention_text_names_the_days_and_the_date_they_count_from(settings):
    settings.PRIVACY_RETENTION_DAYS = {**settings.PRIVACY_RETENTION_DAYS, "quiz_attempts": 400}
    text = registry.declaration_for(QuizAttempt).retention_text()
    assert "400" in text
    assert str(QuizAttempt._meta.get_field("submitted_at").verbose_name).capitalize() in text


@pytest.mark.django_db
def test_expired_rows_count_from_the_first_date_that_is_set():
    now = timezone.now()
    long_ago = now - timedelta(days=settings.PRIVACY_RETENTION_DAYS["accounts"] + 1)
    gone = UserFactory(last_login=long_ago, date_joined=long_ago)
    back_recently = UserFactory(last_login=now - timedelta(days=1), date_joined=long_ago)
    never_signed_in = UserFactory(last_login=None, date_joined=long_ago)
    expired = set(registry.declaration_for(User).expired_rows(now=now))
    assert expired == {gone, never_signed_in}
    assert back_recently not in expired


@pytest.mark.django_db
def test_sessions_expire_on_their_expiry_date():
    now = timezone.now()
    Session.objects.create(session_key="old", session_data="", expire_date=now - timedelta(1))
    Session.objects.create(session_key="live", session_data="", expire_date=now + timedelta(1))
    expired = registry.declaration_for(Session).expired_rows(now=now)
    assert list(expired.values_list("session_key", flat=True)) == ["old"]


@pytest.mark.django_db
def test_every_declaration_can_select_expired_rows_and_a_persons_rows():
    # Runs each declaration's queries once, so that a wrong path fails here, not in a later job.
    person = UserFactory()
    for declaration in registry.declarations:
        declaration.expired_rows().count()
        declaration.rows_of(person).count()


@pytest.mark.django_db
def test_a_persons_rows_are_theirs_only():
    person, other = UserFactory(), UserFactory()
    addresses = registry.declaration_for(EmailAddress).rows_of(person)
    assert list(addresses.values_list("email", flat=True)) == [person.email]
    assert list(registry.declaration_for(User).rows_of(person)) == [person]
    assert other not in registry.declaration_for(User).rows_of(person)
