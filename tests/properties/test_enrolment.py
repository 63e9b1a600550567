"""Enrolling in and leaving courses with any form data and any id in the URL, in every role.

Never a server error; a person only ever joins a live course open to self-enrolment and only
ever leaves a self-chosen course they have not completed; nobody else's enrolments change.
"""

from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from courses.models import Enrolment, LessonPage, ProgressEvent
from courses.services import enrolment_create
from tests.courses.conftest import add_course
from tests.properties.support import TEXT, assert_answered, browser, examples, fresh_state, rows

pytestmark = pytest.mark.django_db

ENROLMENT_FIELDS = ("user_id", "course_id", "source", "due_on", "completed_at", "progress_percent")


@pytest.fixture
def courses(catalog, records, roles):
    """Courses of every kind an id could name, and a self-chosen one every role has joined."""
    chosen = add_course(catalog, title="Wahlkurs", lessons=1)
    for person in roles.values():
        enrolment_create(user=person, course=chosen)
    draft = add_course(catalog, title="Entwurf", lessons=1)
    draft.unpublish()
    return SimpleNamespace(
        open=add_course(catalog, title="Offen für alle", lessons=1),
        closed=add_course(catalog, title="Nur auf Zuweisung", lessons=1, self_enrolment=False),
        chosen=chosen,
        assigned=records["course"],  # Anna's is assigned and overdue, Bernd's completed
        ids=[
            chosen.pk,
            draft.pk,
            records["course"].pk,
            LessonPage.objects.first().pk,
            catalog.pk,
            catalog.get_parent().pk,
        ],
    )


def joinable(courses) -> set[int]:
    """Live courses open to self-enrolment."""
    return {courses.open.pk, courses.chosen.pk, courses.assigned.pk}


@examples(60)
@given(
    role=st.sampled_from(
        ["learner", "trainer", "hr_in_scope", "hr_of_another_authority", "centre_admin"]
    ),
    action=st.sampled_from(["einschreiben", "abmelden"]),
    course_id=st.integers(0, 10**20) | st.sampled_from(["-1", "1e3", "²", "0x1", "%00"]),
    pick_real=st.integers(min_value=0, max_value=8),
    posted=st.dictionaries(TEXT, st.lists(TEXT, max_size=3), max_size=5),
)
def test_enrolling_or_leaving_with_any_form_or_id_changes_only_what_is_allowed(
    courses, roles, role, action, course_id, pick_real, posted
):
    real = [courses.open.pk, courses.closed.pk, *courses.ids]
    if pick_real < len(real):
        course_id = real[pick_real]  # most examples name a page that exists
    with fresh_state():
        actor = roles[role]
        others = rows(Enrolment.objects.exclude(user=actor), *ENROLMENT_FIELDS)
        others_events = ProgressEvent.objects.exclude(user=actor).count()
        own = {e.course_id: e for e in Enrolment.objects.filter(user=actor)}

        response = browser(actor).post(f"/lernen/kurs/{course_id}/{action}/", posted)

        assert_answered(response)
        assert rows(Enrolment.objects.exclude(user=actor), *ENROLMENT_FIELDS) == others
        assert ProgressEvent.objects.exclude(user=actor).count() == others_events
        now = {e.course_id: e for e in Enrolment.objects.filter(user=actor)}
        joined, left = set(now) - set(own), set(own) - set(now)
        if action == "einschreiben":
            assert not left
            assert joined <= joinable(courses) & {course_id}
        else:
            assert not joined
            assert left <= {course_id}
            for course in left:
                assert own[course].source == Enrolment.Source.SELF
                assert own[course].completed_at is None
