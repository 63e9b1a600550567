"""Assignment rules: their effect before they are saved, and recurring (e.g. annual) training."""

from datetime import date, datetime, time, timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from certificates import services as certificate_services
from certificates.models import Certificate
from courses import tasks
from courses.assignments.selectors import (
    RulePreview,
    assignment_rule_preview,
    recurrence_lead_days,
    recurrence_starts_before,
)
from courses.assignments.sentences import rule_preview_sentences
from courses.assignments.services import assignment_rules_recur
from courses.models import AssignmentRule, Enrolment, ProgressEvent
from courses.services import enrolment_create, lesson_complete
from lms.dates import add_months
from lms.people.services import user_move
from tests.certificates.conftest import (  # noqa: F401  (fixtures)
    _private_files_in_tmp,
    certificate_template,
    certified_course,
)
from tests.courses.conftest import lessons_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 15)
# With 12 months and 30 days' lead, completions up to 14 April 2025 are due again by TODAY.
LONG_AGO = date(2025, 1, 10)
RECENTLY = date(2025, 9, 1)


def complete_on(user, course, day):
    """The person has the course, completed on `day` (at 10 o'clock local time)."""
    enrolment, _created = enrolment_create(
        user=user, course=course, source=Enrolment.Source.ASSIGNED, due_on=day
    )
    at = timezone.make_aware(datetime.combine(day, time(10)))
    Enrolment.objects.filter(pk=enrolment.pk).update(completed_at=at, progress_percent=100)
    enrolment.refresh_from_db()
    return enrolment


def renewals(user=None):
    events = ProgressEvent.objects.filter(kind=ProgressEvent.Kind.ASSIGNED, data__renewal=True)
    return events.filter(user=user).count() if user else events.count()


@pytest.fixture
def staff(org):
    """A known organisation around Darmstadt (RPDA with its unit RPDA-I) and people elsewhere."""
    return {
        "done_long_ago": UserFactory(authority=org["rpda"]),
        "done_recently": UserFactory(authority=org["rpda_unit"]),
        "enrolled_open": UserFactory(authority=org["rpda"]),
        "not_enrolled": UserFactory(authority=org["rpda_unit"]),
        "inactive": UserFactory(authority=org["rpda"], is_active=False),
        "outside": UserFactory(authority=org["rpks"]),
        "moved_out": UserFactory(authority=org["rpda"]),
        "other_ministry": UserFactory(authority=org["hzd"]),
    }


@pytest.fixture
def history(staff, course, org):
    """Who has the course, and since when."""
    complete_on(staff["done_long_ago"], course, LONG_AGO)
    complete_on(staff["done_recently"], course, RECENTLY)
    enrolment_create(user=staff["enrolled_open"], course=course, source=Enrolment.Source.ASSIGNED)
    complete_on(staff["inactive"], course, LONG_AGO)
    complete_on(staff["outside"], course, LONG_AGO)
    complete_on(staff["moved_out"], course, LONG_AGO)
    user_move(user=staff["moved_out"], authority=org["rpks"])
    complete_on(staff["other_ministry"], course, LONG_AGO)
    return staff


def annual_rule(course, authority, by, *, months=12, active=True):
    """A rule stored as it is, without the effects of saving it through the service."""
    return AssignmentRule.objects.create(
        course=course,
        authority=authority,
        due_after_days=30,
        recurrence_months=months,
        active=active,
        created_by=by,
    )


# Dates


def test_completions_sharing_an_anniversary_are_due_together(settings):
    settings.ASSIGNMENT_RECURRENCE_LEAD_DAYS = 0
    # 29, 30 and 31 January + 1 month are all 28 February 2025.
    starts_before = recurrence_starts_before(months=1, today=date(2025, 2, 28))
    assert timezone.localtime(starts_before) == timezone.make_aware(datetime(2025, 2, 1))


def test_a_short_recurrence_starts_its_round_in_the_second_half(settings):
    settings.ASSIGNMENT_RECURRENCE_LEAD_DAYS = 30
    assert recurrence_lead_days(12) == 30
    assert recurrence_lead_days(1) == 15


# Preview: counted against a known organisation


def test_the_preview_counts_active_current_members_of_the_subtree(history, course, org):
    preview = assignment_rule_preview(authority=org["rpda"], course=course)
    # Not: the inactive person, the one who moved to Kassel, Kassel, the finance ministry.
    assert (preview.people, preview.enrolled, preview.completed) == (4, 3, 2)
    assert preview.recurrence_months is None
    assert (preview.renew_now, preview.next_round_on) == (0, None)


def test_the_preview_says_who_starts_a_new_round_now_and_when_the_next_starts(history, course, org):
    preview = assignment_rule_preview(
        authority=org["rpda"], course=course, recurrence_months=12, today=TODAY
    )
    assert (preview.people, preview.enrolled, preview.completed) == (4, 3, 2)
    assert preview.renew_now == 1
    # Completed 1 September 2025: due again on 1 September 2026, the round starts 30 days before.
    assert preview.next_round_on == date(2026, 8, 2)


def test_the_preview_of_a_unit_counts_only_the_unit(history, course, org):
    preview = assignment_rule_preview(authority=org["rpda_unit"], course=course)
    assert (preview.people, preview.enrolled, preview.completed) == (2, 1, 1)


def test_the_preview_reads_in_three_queries_whatever_the_size(history, course, org):
    with CaptureQueriesContext(connection) as captured:
        assignment_rule_preview(
            authority=org["innen"], course=course, recurrence_months=12, today=TODAY
        )
    assert len(captured) == 3


def test_the_preview_writes_nothing(history, course, org):
    before = Enrolment.objects.filter(completed_at__isnull=False).count()
    assignment_rule_preview(authority=org["rpda"], course=course, recurrence_months=12)
    assert Enrolment.objects.filter(completed_at__isnull=False).count() == before
    assert renewals() == 0


def test_the_preview_states_the_effect_in_words():
    preview = RulePreview(
        people=1240,
        enrolled=12,
        completed=5,
        recurrence_months=12,
        renew_now=3,
        next_round_on=date(2026, 8, 2),
    )
    with translation.override("en"):
        sentences = rule_preview_sentences(preview)
    assert sentences == [
        "This rule assigns the course to 1,240 people (12 of them already enrolled), "
        "and later to everyone who joins.",
        "5 of them have already completed it; the completion stays.",
        "The course is due again 12 months after each completion.",
        "The new round starts 30 days before.",
        "For 3 people who completed it long enough ago, the new round starts now.",
        "The next new round starts on 2 August 2026.",
    ]


def test_the_preview_formats_numbers_and_dates_the_german_way():
    preview = RulePreview(
        people=1240, enrolled=12, completed=0, recurrence_months=12, next_round_on=date(2026, 8, 2)
    )
    with translation.override("de"):
        text = " ".join(rule_preview_sentences(preview))
    assert "1.240" in text
    assert "1,240" not in text
    assert "02.08.2026" in text


def test_a_preview_without_enrolled_people_leaves_out_the_parenthesis():
    with translation.override("en"):
        [sentence] = rule_preview_sentences(RulePreview(people=1, enrolled=0, completed=0))
    assert sentence == "This rule assigns the course to 1 person, and later to everyone who joins."


def test_the_rule_screen_previews_counts_and_recurrence(client, hr_innen, history, course, org):
    client.force_login(hr_innen)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(
        reverse("courses_assignment_rules:add"),
        {
            "course": course.pk,
            "authority": org["rpda"].pk,
            "due_after_days": 30,
            "recurrence_months": 12,
            "preview": "1",
        },
    )
    assert response.status_code == 200
    preview = response.context["preview"]
    assert (preview["effect"].people, preview["effect"].enrolled) == (4, 3)
    page = response.content.decode()
    assert (
        "This rule assigns the course to 4 people (3 of them already enrolled), "
        "and later to everyone who joins." in page
    )
    assert "2 of them have already completed it; the completion stays." in page
    assert "The course is due again 12 months after each completion." in page
    assert "annually" in page
    assert not AssignmentRule.objects.exists()


def test_the_assignment_screen_reads_the_same_way(client, hr_innen, history, course, org):
    client.force_login(hr_innen)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(
        reverse("courses_assignments:add"),
        {
            "course": course.pk,
            "due_on": (timezone.localdate() + timedelta(days=30)).isoformat(),
            "authority": org["rpda"].pk,
            "preview": "1",
        },
    )
    page = response.content.decode()
    assert "This assigns the course to 4 people (3 of them already enrolled)." in page
    assert "2 of them have already completed it; the completion stays." in page


# Recurrence


def test_a_completion_a_year_old_starts_a_new_round_once(history, course, org, hr_innen):
    annual_rule(course, org["rpda"], hr_innen)
    assert assignment_rules_recur(today=TODAY) == 1
    assert assignment_rules_recur(today=TODAY) == 0

    enrolment = Enrolment.objects.get(user=history["done_long_ago"], course=course)
    assert enrolment.completed_at is None
    assert enrolment.progress_percent == 0
    assert enrolment.source == Enrolment.Source.ASSIGNED
    assert renewals(history["done_long_ago"]) == 1
    assert renewals() == 1


def test_the_new_round_is_due_on_the_anniversary_of_the_completion(course, org, hr_innen):
    person = UserFactory(authority=org["rpda"])
    complete_on(person, course, date(2025, 4, 10))
    annual_rule(course, org["rpda"], hr_innen)
    assert assignment_rules_recur(today=TODAY) == 1
    assert Enrolment.objects.get(user=person).due_on == date(2026, 4, 10)


def test_a_completion_found_late_is_due_from_today_not_in_the_past(history, course, org, hr_innen):
    annual_rule(course, org["rpda"], hr_innen)
    assignment_rules_recur(today=TODAY)
    # Completed 10 January 2025: the anniversary has passed.
    assert Enrolment.objects.get(user=history["done_long_ago"]).due_on == TODAY


def test_nobody_else_starts_a_new_round(history, course, org, hr_innen):
    annual_rule(course, org["rpda"], hr_innen)
    assignment_rules_recur(today=TODAY)
    for name in ("done_recently", "inactive", "outside", "moved_out", "other_ministry"):
        enrolment = Enrolment.objects.get(user=history[name], course=course)
        assert enrolment.completed_at is not None, name
    assert Enrolment.objects.get(user=history["enrolled_open"]).completed_at is None
    assert renewals() == 1


def test_the_round_starts_within_the_lead_time_and_not_before(history, course, org, hr_innen):
    annual_rule(course, org["rpda"], hr_innen)
    assignment_rules_recur(today=TODAY)
    # Completed 1 September 2025, due again 1 September 2026: the round starts on 2 August.
    assert assignment_rules_recur(today=date(2026, 8, 1)) == 0
    assert assignment_rules_recur(today=date(2026, 8, 2)) == 1
    enrolment = Enrolment.objects.get(user=history["done_recently"])
    assert enrolment.due_on == date(2026, 9, 1)


def test_a_rule_without_recurrence_or_inactive_starts_no_round(history, course, org, hr_innen):
    AssignmentRule.objects.create(
        course=course, authority=org["rpda"], due_after_days=30, created_by=hr_innen
    )
    annual_rule(course, org["rpda_unit"], hr_innen, active=False)
    assert assignment_rules_recur(today=date(2030, 1, 1)) == 0
    assert renewals() == 0


def test_an_unpublished_course_starts_no_round(history, course, org, hr_innen):
    annual_rule(course, org["rpda"], hr_innen)
    course.unpublish()
    assert assignment_rules_recur(today=TODAY) == 0


def test_overlapping_rules_renew_a_person_once(history, course, org, hr_innen):
    annual_rule(course, org["innen"], hr_innen, months=12)
    annual_rule(course, org["rpda"], hr_innen, months=6)
    renewed = assignment_rules_recur(today=TODAY)
    # Darmstadt's and Kassel's people, each once; the finance ministry's not.
    assert renewed == 4
    for name in ("done_long_ago", "done_recently", "outside", "moved_out"):
        assert renewals(history[name]) == 1, name
    assert renewals(history["other_ministry"]) == 0


def test_finding_who_is_due_takes_one_query_per_rule(course, org, hr_innen):
    for authority in (org["rpda"], org["rpks"]):
        for _ in range(5):
            complete_on(UserFactory(authority=authority), course, RECENTLY)
    annual_rule(course, org["rpda"], hr_innen)
    annual_rule(course, org["rpks"], hr_innen)
    with CaptureQueriesContext(connection) as captured:
        assert assignment_rules_recur(today=TODAY) == 0
    # The rules, then one query for each rule's candidates.
    assert len(captured) == 3


def test_the_periodic_task_starts_the_rounds(history, course, org, hr_innen):
    annual_rule(course, org["rpda"], hr_innen)
    AssignmentRule.objects.update(recurrence_months=1)
    assert tasks.assignment_rules_recur.delay().get() == 2
    assert tasks.assignment_rules_recur.delay().get() == 0


def test_the_task_runs_every_six_hours():
    entry = next(
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "courses.tasks.assignment_rules_recur"
    )
    assert entry["schedule"] == 6 * 3600.0
    assert tasks.assignment_rules_recur.name == "courses.tasks.assignment_rules_recur"


def test_saving_an_annual_rule_starts_due_rounds_at_once_as_the_preview_said(
    client, hr_innen, course, org
):
    person = UserFactory(authority=org["rpda"])
    complete_on(person, course, add_months(timezone.localdate(), -13))
    data = {
        "course": course.pk,
        "authority": org["rpda"].pk,
        "due_after_days": 30,
        "recurrence_months": 12,
    }
    client.force_login(hr_innen)
    preview = client.post(reverse("courses_assignment_rules:add"), {**data, "preview": "1"})
    assert preview.context["preview"]["effect"].renew_now == 1
    assert renewals(person) == 0

    response = client.post(reverse("courses_assignment_rules:add"), {**data, "confirm": "1"})
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(user=person)
    assert enrolment.completed_at is None
    assert enrolment.due_on == timezone.localdate()
    assert renewals(person) == 1


# Coexistence with certificate renewal


@pytest.fixture
def certified(org, certified_course, hr_innen, django_capture_on_commit_callbacks):  # noqa: F811
    """Someone in Darmstadt completed an annual course with a certificate valid for 12 months,
    under an annual rule; returns (enrolment, the day both renewals are due)."""
    person = UserFactory(authority=org["rpda"])
    with django_capture_on_commit_callbacks(execute=True):
        enrolment_create(user=person, course=certified_course)
        for lesson in lessons_of(certified_course):
            enrolment = lesson_complete(user=person, lesson=lesson)
    certificate = Certificate.objects.get()
    assert certificate.valid_until == add_months(timezone.localdate(), 12)
    annual_rule(certified_course, org["rpda"], hr_innen)
    return enrolment, certificate.valid_until - timedelta(days=20)


def test_certificate_renewal_first_then_the_rule_finds_nothing(certified):
    enrolment, day = certified
    assert certificate_services.certificates_renew_expiring(today=day) == 1
    assert assignment_rules_recur(today=day) == 0
    assert renewals() == 1
    enrolment.refresh_from_db()
    assert enrolment.completed_at is None


def test_the_rule_first_then_certificate_renewal_finds_nothing(certified):
    enrolment, day = certified
    assert assignment_rules_recur(today=day) == 1
    assert certificate_services.certificates_renew_expiring(today=day) == 0
    assert renewals() == 1
    enrolment.refresh_from_db()
    # Both would have set the same date: a year after completing it.
    assert enrolment.due_on == add_months(timezone.localdate(), 12)
